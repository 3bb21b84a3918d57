package io.dnshandling.dns;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Splits a TCP byte stream into DNS messages, each preceded by its two-byte length (RFC 1035
 * 4.2.2). Several messages may arrive in one read, or one message across many.
 */
final class TcpFraming {

    private final Consumer<byte[]> onMessage;
    private final Runnable onInvalid;
    private Buffer pending = Buffer.buffer();

    TcpFraming(Consumer<byte[]> onMessage, Runnable onInvalid) {
        this.onMessage = onMessage;
        this.onInvalid = onInvalid;
    }

    /** Whether part of a message has arrived and the rest has not. */
    boolean partial() {
        return pending.length() > 0;
    }

    void feed(Buffer data) {
        pending.appendBuffer(data);
        int offset = 0;
        while (pending.length() - offset >= 2) {
            int length = pending.getUnsignedShort(offset);
            if (length == 0) {
                onInvalid.run();
                return;
            }
            if (pending.length() - offset - 2 < length) {
                break;
            }
            onMessage.accept(pending.getBytes(offset + 2, offset + 2 + length));
            offset += 2 + length;
        }
        pending = offset == 0 ? pending : pending.getBuffer(offset, pending.length());
    }
}

package io.dnshandling.dns;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * The UDP side of the DNS server, as a Netty handler on the server's own event loop: each
 * datagram read is answered at once, and the answers of one read burst leave in one flush. No
 * address parsing, no per-answer future: the sender's address comes with the datagram and goes
 * back with the answer.
 */
final class UdpAnswers extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger LOG = Logger.getLogger(UdpAnswers.class);

    private final BiFunction<byte[], InetSocketAddress, byte[]> answer;

    /** {@code answer}: the bytes to send back for a query from an address, or null to send nothing. */
    UdpAnswers(BiFunction<byte[], InetSocketAddress, byte[]> answer) {
        this.answer = answer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        byte[] out = answer.apply(ByteBufUtil.getBytes(packet.content()), packet.sender());
        if (out != null) {
            ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(out), packet.sender()), ctx.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // One failed exchange (an unreachable sender, a full send buffer) never closes the socket.
        LOG.debugf("UDP exchange failed: %s", cause.toString());
    }
}

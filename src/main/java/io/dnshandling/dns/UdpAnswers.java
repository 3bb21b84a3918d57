package io.dnshandling.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import org.jboss.logging.Logger;

/**
 * The UDP side of the DNS server, as a Netty handler on the server's own event loop: each
 * datagram read is answered at once, and the answers of one read burst leave in one flush. No
 * address parsing, no per-answer future: the sender's address comes with the datagram and goes
 * back with the answer.
 *
 * <p>One handler serves one channel, so one thread: the query is copied into an array the
 * handler owns, answered into another, and sent from a pooled direct buffer, which the channel
 * writes as it is (a heap buffer would be copied into a direct one on every write).
 *
 * <p>On epoll, one system call reads up to {@value #DATAGRAMS_PER_READ} queries (recvmmsg) and
 * one sends a burst's answers (sendmmsg); NIO makes two system calls per query.
 */
final class UdpAnswers extends SimpleChannelInboundHandler<DatagramPacket> {

    /** Answers one query: the answer's length, written into {@code out}, or 0 to send nothing. */
    @FunctionalInterface
    interface Answerer {
        int answer(byte[] query, int length, InetSocketAddress sender, byte[] out);
    }

    private static final Logger LOG = Logger.getLogger(UdpAnswers.class);
    /** The longest query read: longer ones arrive cut to it (and get FORMERR), as on NIO, whose buffer is as long. */
    static final int LARGEST_QUERY = 2048;
    /** 16 queries of 2 KiB: 32 KiB, a buffer the pooled allocator caches per thread (64 KiB and up is allocated afresh each time). */
    static final int DATAGRAMS_PER_READ = 16;

    private final Answerer answerer;
    private final byte[] query = new byte[LARGEST_QUERY];
    private final byte[] answer;

    /** {@code largestAnswer}: the most bytes {@code answerer} writes for one query. */
    UdpAnswers(Answerer answerer, int largestAnswer) {
        this.answerer = answerer;
        this.answer = new byte[largestAnswer];
    }

    /**
     * Binds {@code handler} to a UDP socket at {@code address} on {@code group}'s loops, which are
     * epoll's when {@code epoll}, NIO's otherwise. No SO_REUSEADDR: a port already in use must
     * fail the start rather than share the queries.
     */
    static Channel bind(EventLoopGroup group, boolean epoll, UdpAnswers handler, InetSocketAddress address)
            throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(group)
                .option(ChannelOption.SO_REUSEADDR, false)
                .handler(handler);
        if (epoll) {
            bootstrap.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, LARGEST_QUERY)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(LARGEST_QUERY * DATAGRAMS_PER_READ));
        } else {
            bootstrap.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(LARGEST_QUERY));
        }
        return bootstrap.bind(address).sync().channel();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int length = Math.min(content.readableBytes(), LARGEST_QUERY); // never more: both transports read at most that
        content.getBytes(content.readerIndex(), query, 0, length);
        int n = answerer.answer(query, length, packet.sender(), answer);
        if (n > 0) {
            ByteBuf out = ctx.alloc().directBuffer(n, n).writeBytes(answer, 0, n);
            ctx.write(new DatagramPacket(out, packet.sender()), ctx.voidPromise());
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

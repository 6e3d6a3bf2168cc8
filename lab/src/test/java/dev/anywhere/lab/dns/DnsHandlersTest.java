package dev.anywhere.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The Netty adapters of {@link DnsServer}, without sockets ({@link EmbeddedChannel}). */
class DnsHandlersTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.10", 53);

    private final DnsResponder responder = new DnsResponder(LabZones.provider());

    @Test
    void datagramIsAnsweredToItsSender() throws IOException {
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsQueryHandler(responder));
        byte[] query = DnsServerTest.query("oa.frankysweb.org.", Type.A).toWire();
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(query), SERVER, CLIENT));
        DatagramPacket reply = ch.readOutbound();
        try {
            assertThat(reply.recipient()).isEqualTo(CLIENT);
            Message m = new Message(ByteBufUtil.getBytes(reply.content()));
            assertThat(m.getSection(Section.ANSWER)).hasSize(1);
        } finally {
            reply.release();
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void datagramWithoutHeaderGetsNothing() {
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsQueryHandler(responder));
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), SERVER, CLIENT));
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void tcpFramesSplitAcrossReadsAreReassembled() throws IOException {
        EmbeddedChannel ch = tcpChannel(Duration.ofSeconds(10));
        byte[] query = DnsServerTest.query("autodiscover.frankysweb.org.", Type.A).toWire();
        ByteBuf framed = Unpooled.buffer().writeShort(query.length).writeBytes(query);
        ch.writeInbound(framed.readRetainedSlice(5)); // length and three bytes of the header
        assertThat((Object) ch.readOutbound()).isNull();
        ch.writeInbound(framed.readRetainedSlice(framed.readableBytes()));
        framed.release();

        byte[] response = readAll(ch);
        int length = ((response[0] & 0xFF) << 8) | (response[1] & 0xFF);
        assertThat(length).isEqualTo(response.length - 2);
        Message m = new Message(java.util.Arrays.copyOfRange(response, 2, response.length));
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).hasSize(1);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void idleTcpConnectionIsClosed() {
        EmbeddedChannel ch = tcpChannel(Duration.ofSeconds(10));
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void tcpMessageWithoutHeaderClosesTheConnection() {
        EmbeddedChannel ch = tcpChannel(Duration.ofSeconds(10));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3}));
        assertThat(ch.isOpen()).isFalse();
    }

    private EmbeddedChannel tcpChannel(Duration idle) {
        EmbeddedChannel ch = new EmbeddedChannel();
        DnsServer.initTcp(ch.pipeline(), responder, idle);
        ch.pipeline().fireChannelActive();
        return ch;
    }

    private static byte[] readAll(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part = ch.readOutbound(); part != null; part = ch.readOutbound()) {
            all.writeBytes(part);
            part.release();
        }
        byte[] bytes = ByteBufUtil.getBytes(all);
        all.release();
        return bytes;
    }
}

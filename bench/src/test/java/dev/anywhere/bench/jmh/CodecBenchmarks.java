package dev.anywhere.bench.jmh;

import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RpchFrameDecoder;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-PDU work of the relay: RTS PDUs (CONN/A1, FlowControlAck) decoded and encoded, a 64 KiB buffer of PDUs split
 * by {@link RpchFrameDecoder}, DCE/RPC request and response decoded and encoded by {@link DceCodec}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmarks {

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    RtsMessage connA1;
    RtsMessage flowControlAck;
    ByteBuf connA1Bytes;
    ByteBuf flowControlAckBytes;
    DcePdu.Request request;
    DcePdu.Response response;
    ByteBuf requestBytes;
    ByteBuf responseBytes;
    /** Up to 64 KiB of back-to-back PDUs (70: 1 KiB requests with a FlowControlAck after every 8th). */
    ByteBuf stream;
    int pdusInStream;
    EmbeddedChannel splitter;

    @Setup
    public void setup() {
        connA1 = new RtsMessage.ConnA1(1, UUID.randomUUID(), UUID.randomUUID(), 0x40000);
        flowControlAck = new RtsMessage.FlowControlAckWithDestination(ForwardDestination.OUT_PROXY, 123_456, 0x40000,
                UUID.randomUUID());
        connA1Bytes = Unpooled.directBuffer();
        RpchCodec.encode(connA1, connA1Bytes);
        flowControlAckBytes = Unpooled.directBuffer();
        RpchCodec.encode(flowControlAck, flowControlAckBytes);
        byte[] stub = new byte[1024];
        for (int i = 0; i < stub.length; i++) {
            stub[i] = (byte) i;
        }
        request = new DcePdu.Request(7, 0, 0, Octets.of(stub));
        response = new DcePdu.Response(7, 0, Octets.of(stub));
        requestBytes = Unpooled.directBuffer();
        DceCodec.encode(request, requestBytes);
        responseBytes = Unpooled.directBuffer();
        DceCodec.encode(response, responseBytes);
        stream = Unpooled.directBuffer(64 * 1024);
        int n = 0;
        while (stream.writableBytes() >= requestBytes.readableBytes() + flowControlAckBytes.readableBytes()) {
            stream.writeBytes(requestBytes, requestBytes.readerIndex(), requestBytes.readableBytes());
            n++;
            if (n % 8 == 0) {
                stream.writeBytes(flowControlAckBytes, flowControlAckBytes.readerIndex(), flowControlAckBytes.readableBytes());
                n++;
            }
        }
        pdusInStream = n;
        splitter = new EmbeddedChannel(new RpchFrameDecoder());
    }

    @TearDown
    public void tearDown() {
        splitter.finishAndReleaseAll();
        for (ByteBuf b : new ByteBuf[] {connA1Bytes, flowControlAckBytes, requestBytes, responseBytes, stream}) {
            b.release();
        }
    }

    @Benchmark
    public RtsMessage decodeConnA1() {
        return RpchCodec.decodeMessage(connA1Bytes.duplicate());
    }

    @Benchmark
    public RtsMessage decodeFlowControlAck() {
        return RpchCodec.decodeMessage(flowControlAckBytes.duplicate());
    }

    @Benchmark
    public int encodeConnA1() {
        ByteBuf b = RpchCodec.encode(connA1, alloc);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    @Benchmark
    public int encodeFlowControlAck() {
        ByteBuf b = RpchCodec.encode(flowControlAck, alloc);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    /** Splits the 64 KiB buffer into frames; returns the frame count. */
    @Benchmark
    public int splitFrames64k(Blackhole bh) {
        splitter.writeInbound(stream.retainedDuplicate());
        int frames = 0;
        Object m;
        while ((m = splitter.readInbound()) != null) {
            frames++;
            if (m instanceof RpcPduFrame f) {
                bh.consume(f.callId());
            } else {
                bh.consume(m);
            }
            ReferenceCountUtil.release(m);
        }
        return frames;
    }

    @Benchmark
    public DcePdu decodeRequest() {
        return DceCodec.decode(requestBytes.duplicate());
    }

    @Benchmark
    public DcePdu decodeResponse() {
        return DceCodec.decode(responseBytes.duplicate());
    }

    @Benchmark
    public int encodeRequest() {
        ByteBuf b = DceCodec.encode(request, alloc);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    @Benchmark
    public int encodeResponse() {
        ByteBuf b = DceCodec.encode(response, alloc);
        int n = b.readableBytes();
        b.release();
        return n;
    }

}

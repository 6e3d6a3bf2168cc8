package dev.anywhere.rpc.emsmdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.wire.Octets;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * What the store endpoint decodes from the network, and what our client decodes from a server: the first byte picks
 * the decoder (0 EcDoConnectEx request, 1 EcDoRpcExt2 request down to its ROP list, 2 EcDoConnectEx response,
 * 3 EcDoRpcExt2 response down to its RopLogon response, 4 LZ77 with the next two bytes as the uncompressed size),
 * the rest is the input. Each decodes or throws {@link DceProtocolException} ({@link EmsmdbFormatException} for
 * the buffers inside EcDoRpcExt2); a decoded call re-encodes and decodes equal. docs/fuzzing.md
 */
@Timeout(10)
class EmsmdbFuzzTest {

    @FuzzTest
    void decodesOrRefuses(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Octets in = Octets.of(Arrays.copyOfRange(input, 1, input.length));
        try {
            switch ((input[0] & 0xff) % 5) {
                case 0 -> {
                    EcDoConnectEx.Request q = EcDoConnectEx.Request.decode(in);
                    assertThat(EcDoConnectEx.Request.decode(q.encode())).isEqualTo(q);
                }
                case 1 -> {
                    EcDoRpcExt2.Request q = EcDoRpcExt2.Request.decode(in);
                    assertThat(EcDoRpcExt2.Request.decode(q.encode())).isEqualTo(q);
                    RopRequest.parse(RopBuffer.decode(RpcHeaderExt.unwrap(q.rgbIn())).rops());
                }
                case 2 -> {
                    EcDoConnectEx.Response r = EcDoConnectEx.Response.decode(in);
                    assertThat(EcDoConnectEx.Response.decode(r.encode())).isEqualTo(r);
                }
                case 3 -> {
                    EcDoRpcExt2.Response r = EcDoRpcExt2.Response.decode(in);
                    assertThat(EcDoRpcExt2.Response.decode(r.encode())).isEqualTo(r);
                    Octets rops = RopBuffer.decode(RpcHeaderExt.unwrap(r.rgbOut())).rops();
                    RopLogon.readResponse(rops);
                }
                default -> {
                    if (in.length() >= 2) {
                        int size = in.get(0) | in.get(1) << 8;
                        byte[] plain = Lz77.decompress(in.slice(2, in.length()).toByteArray(), size);
                        assertThat(Lz77.decompress(Lz77.compress(plain), plain.length)).isEqualTo(plain);
                    }
                }
            }
        } catch (DceProtocolException expected) {
            // the documented refusal
        }
    }
}

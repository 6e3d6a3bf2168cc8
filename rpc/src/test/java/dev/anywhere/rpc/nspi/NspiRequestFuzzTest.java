package dev.anywhere.rpc.nspi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.Octets;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * The NSPI request decoders as the address book endpoint runs them: the first byte picks the call (an opnum the
 * server answers), the rest is the stub. Every input decodes or fails with {@link DceProtocolException}; a decoded
 * request encodes and decodes back equal (except GetSpecialTable and GetProps, whose impacket form re-encodes in the
 * IDL's). docs/fuzzing.md
 */
@Timeout(10)
class NspiRequestFuzzTest {

    private static final int[] OPNUMS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 19, 20};

    @FuzzTest
    void decodesOrRefuses(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int opnum = OPNUMS[(input[0] & 0xff) % OPNUMS.length];
        Octets stub = Octets.of(Arrays.copyOfRange(input, 1, input.length));
        try {
            switch (opnum) {
                case 0 -> {
                    NspiCalls.Bind q = NspiCalls.Bind.decode(stub);
                    roundTrip(q, NspiCalls.Bind.decode(q.encode()));
                }
                case 1 -> {
                    NspiCalls.Unbind q = NspiCalls.Unbind.decode(stub);
                    roundTrip(q, NspiCalls.Unbind.decode(q.encode()));
                }
                case 2 -> {
                    NspiCalls.UpdateStat q = NspiCalls.UpdateStat.decode(stub);
                    roundTrip(q, NspiCalls.UpdateStat.decode(q.encode()));
                }
                case 3 -> {
                    NspiCalls.QueryRows q = NspiCalls.QueryRows.decode(stub);
                    roundTrip(q, NspiCalls.QueryRows.decode(q.encode()));
                }
                case 4 -> {
                    NspiCalls.SeekEntries q = NspiCalls.SeekEntries.decode(stub);
                    roundTrip(q, NspiCalls.SeekEntries.decode(q.encode()));
                }
                case 5 -> {
                    NspiCalls.GetMatches q = NspiCalls.GetMatches.decode(stub);
                    roundTrip(q, NspiCalls.GetMatches.decode(q.encode()));
                }
                case 7 -> {
                    NspiCalls.DnToMid q = NspiCalls.DnToMid.decode(stub);
                    roundTrip(q, NspiCalls.DnToMid.decode(q.encode()));
                }
                case 8 -> {
                    NspiCalls.GetPropList q = NspiCalls.GetPropList.decode(stub);
                    roundTrip(q, NspiCalls.GetPropList.decode(q.encode()));
                }
                case 9 -> NspiCalls.GetProps.decode(stub).encode();
                case 12 -> NspiCalls.GetSpecialTable.decode(stub).encode();
                case 16 -> {
                    NspiCalls.QueryColumns q = NspiCalls.QueryColumns.decode(stub);
                    roundTrip(q, NspiCalls.QueryColumns.decode(q.encode()));
                }
                default -> {
                    boolean wide = opnum == NspiCalls.ResolveNames.OPNUM_W;
                    NspiCalls.ResolveNames q = NspiCalls.ResolveNames.decode(stub, wide);
                    roundTrip(q, NspiCalls.ResolveNames.decode(q.encode(), wide)); // 8-bit names: ISO-8859-1 both ways
                }
            }
        } catch (DceProtocolException expected) {
            // the documented refusal: the endpoint answers RPC_X_BAD_STUB_DATA
        }
    }

    private static void roundTrip(Object decoded, Object again) {
        assertThat(again).isEqualTo(decoded);
    }
}

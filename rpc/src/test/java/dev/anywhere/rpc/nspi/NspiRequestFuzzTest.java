package dev.anywhere.rpc.nspi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.wire.Octets;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Timeout;

/**
 * The NSPI request decoders as the address book endpoint runs them: the first byte picks the call (one of the 20
 * opnums the server answers), the rest is the stub. Every input decodes or fails with {@link DceProtocolException}; a decoded
 * request encodes and decodes back equal (except GetSpecialTable and GetProps, whose impacket form re-encodes in the
 * IDL's). docs/fuzzing.md
 */
@Timeout(10)
class NspiRequestFuzzTest {

    /** The first input byte modulo this array's length picks the opnum; new opnums go at the end (seeds keep theirs). */
    private static final int[] OPNUMS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 19, 20, 6, 10, 11, 13, 14, 17, 18};

    @FuzzTest
    void decodesOrRefuses(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int opnum = OPNUMS[(input[0] & 0xff) % OPNUMS.length];
        Octets stub = Octets.of(Arrays.copyOfRange(input, 1, input.length));
        try {
            switch (opnum) {
                case 0 -> roundTrip(stub, NspiCalls.Bind::decode, NspiCalls.Bind::encode);
                case 1 -> roundTrip(stub, NspiCalls.Unbind::decode, NspiCalls.Unbind::encode);
                case 2 -> roundTrip(stub, NspiCalls.UpdateStat::decode, NspiCalls.UpdateStat::encode);
                case 3 -> roundTrip(stub, NspiCalls.QueryRows::decode, NspiCalls.QueryRows::encode);
                case 4 -> roundTrip(stub, NspiCalls.SeekEntries::decode, NspiCalls.SeekEntries::encode);
                case 5 -> roundTrip(stub, NspiCalls.GetMatches::decode, NspiCalls.GetMatches::encode);
                case 7 -> roundTrip(stub, NspiCalls.DnToMid::decode, NspiCalls.DnToMid::encode);
                case 8 -> roundTrip(stub, NspiCalls.GetPropList::decode, NspiCalls.GetPropList::encode);
                case 9 -> NspiCalls.GetProps.decode(stub).encode();
                case 12 -> NspiCalls.GetSpecialTable.decode(stub).encode();
                case 16 -> roundTrip(stub, NspiCalls.QueryColumns::decode, NspiCalls.QueryColumns::encode);
                case 6 -> roundTrip(stub, NspiSortCalls.ResortRestriction::decode, NspiSortCalls.ResortRestriction::encode);
                case 10 -> roundTrip(stub, NspiSortCalls.CompareMids::decode, NspiSortCalls.CompareMids::encode);
                case 11 -> roundTrip(stub, NspiModifyCalls.ModProps::decode, NspiModifyCalls.ModProps::encode);
                case 13 -> roundTrip(stub, NspiCalls.GetTemplateInfo::decode, NspiCalls.GetTemplateInfo::encode);
                case 14 -> roundTrip(stub, NspiModifyCalls.ModLinkAtt::decode, NspiModifyCalls.ModLinkAtt::encode);
                case 17 -> roundTrip(stub, NspiNameCalls.GetNamesFromIds::decode, NspiNameCalls.GetNamesFromIds::encode);
                case 18 -> roundTrip(stub, NspiNameCalls.GetIdsFromNames::decode, NspiNameCalls.GetIdsFromNames::encode);
                default -> {
                    boolean wide = opnum == NspiCalls.ResolveNames.OPNUM_W; // 8-bit names: ISO-8859-1 both ways
                    roundTrip(stub, o -> NspiCalls.ResolveNames.decode(o, wide), NspiCalls.ResolveNames::encode);
                }
            }
        } catch (DceProtocolException expected) {
            // the documented refusal: the endpoint answers RPC_X_BAD_STUB_DATA
        }
    }

    private static <T> void roundTrip(Octets stub, Function<Octets, T> decode, Function<T, Octets> encode) {
        T decoded = decode.apply(stub);
        assertThat(decode.apply(encode.apply(decoded))).isEqualTo(decoded);
    }
}

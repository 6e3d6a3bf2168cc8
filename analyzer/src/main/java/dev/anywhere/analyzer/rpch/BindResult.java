package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.dce.SyntaxId;
import java.util.OptionalInt;

/**
 * An accepted bind or alter_context: the presentation context to call on and what was negotiated.
 *
 * @param contextId p_cont_id for {@link VirtualConnection#call}
 * @param abstractSyntax the interface
 * @param maxXmitFrag the largest fragment the client sends (min of its own and the server's max_recv_frag)
 * @param maxRecvFrag the server's max_xmit_frag
 * @param assocGroupId the association group the server assigned
 * @param secondaryAddress the server's port as it names it ({@code "6001"})
 * @param features the bind-time feature negotiation answer, if asked for
 * @see [C706] 12.6.4.4 The bind_ack PDU
 * @see [MS-RPCE] 3.3.1.5.3 Bind Time Feature Negotiation
 */
public record BindResult(int contextId, SyntaxId abstractSyntax, int maxXmitFrag, int maxRecvFrag, long assocGroupId,
        String secondaryAddress, OptionalInt features) {
}

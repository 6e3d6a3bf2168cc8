package dev.anywhere.rpc.dce;

import java.util.List;
import java.util.Objects;

/**
 * One element of a bind's presentation context list ({@code p_cont_elem_t}): a context id, the abstract
 * syntax (interface) and the transfer syntaxes offered for it.
 *
 * @see [C706] 12.6.3.1 Declarations (p_cont_elem_t)
 */
public record PresentationContext(int contextId, SyntaxId abstractSyntax, List<SyntaxId> transferSyntaxes) {
    public PresentationContext {
        if (contextId < 0 || contextId > 0xffff) {
            throw new IllegalArgumentException("p_cont_id: " + contextId + " (expected: 0..65535)");
        }
        Objects.requireNonNull(abstractSyntax, "abstractSyntax");
        transferSyntaxes = List.copyOf(transferSyntaxes);
        if (transferSyntaxes.isEmpty() || transferSyntaxes.size() > 0xff) {
            throw new IllegalArgumentException("n_transfer_syn: " + transferSyntaxes.size() + " (expected: 1..255)");
        }
    }

    /** A context offering only NDR 2.0. */
    public static PresentationContext ndr(int contextId, SyntaxId abstractSyntax) {
        return new PresentationContext(contextId, abstractSyntax, List.of(SyntaxId.NDR));
    }
}

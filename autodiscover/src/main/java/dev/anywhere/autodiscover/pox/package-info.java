/**
 * The Autodiscover "plain old XML" protocol of [MS-OXDSCLI]: an immutable model of the request and the Outlook
 * response (schema 2006a), a writer that emits Exchange's element order and namespaces, and a hardened reader that
 * refuses DTDs, entities, oversized and deeply nested input before anything is resolved.
 *
 * <p>{@link dev.anywhere.autodiscover.pox.PoxCodec} is the entry point; every read failure is a
 * {@link dev.anywhere.autodiscover.pox.PoxParseException}, which a server answers with ErrorCode 600.
 * {@link dev.anywhere.autodiscover.pox.AuthPackageRule} is the server-side choice of the {@code AuthPackage} value.
 *
 * <p>Stability: public API of the autodiscover module.
 *
 * @see <a href="https://learn.microsoft.com/en-us/openspecs/exchange_server_protocols/ms-oxdscli/">[MS-OXDSCLI]</a>
 */
package dev.anywhere.autodiscover.pox;

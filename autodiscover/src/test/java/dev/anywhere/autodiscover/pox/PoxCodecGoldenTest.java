package dev.anywhere.autodiscover.pox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden documents from Microsoft's examples and the team reference, read and compared field by field. */
class PoxCodecGoldenTest {

    static byte[] resource(String name) {
        try (InputStream in = PoxCodecGoldenTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void microsoftRequestExample() throws Exception {
        AutodiscoverRequest r = PoxCodec.readRequest(resource("ms-pox-request-email.xml"));
        assertThat(r.emailAddress()).contains("user@contoso.com");
        assertThat(r.legacyDn()).isEmpty();
        assertThat(r.acceptableResponseSchema()).isEqualTo(PoxNamespaces.OUTLOOK_RESPONSE);
        assertThat(r.acceptsOutlookSchema()).isTrue();
        assertThat(r.lookupAddress()).isEqualTo("user@contoso.com");
        assertThat(r.lookupByLegacyDn()).isFalse();
    }

    @Test
    void microsoftRequestExampleRoundTrips() throws Exception {
        AutodiscoverRequest r = PoxCodec.readRequest(resource("ms-pox-request-email.xml"));
        assertThat(PoxCodec.readRequest(PoxCodec.writeRequest(r))).isEqualTo(r);
    }

    @Test
    void legacyDnWinsOverEmailAddress() throws Exception {
        String xml = """
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request>
                    <EMailAddress>user@contoso.com</EMailAddress>
                    <LegacyDN>/o=contoso/ou=First Administrative Group/cn=Recipients/cn=user</LegacyDN>
                    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
                  </Request>
                </Autodiscover>""";
        AutodiscoverRequest r = PoxCodec.readRequest(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(r.lookupAddress()).isEqualTo("/o=contoso/ou=First Administrative Group/cn=Recipients/cn=user");
        assertThat(r.lookupByLegacyDn()).isTrue();
    }

    @Test
    void legacyDnOnlyRequestFromByteBuf() throws Exception {
        AutodiscoverRequest r = new AutodiscoverRequest(Optional.empty(), Optional.of("/o=FRANKYSWEB/cn=franky"),
                PoxNamespaces.OUTLOOK_RESPONSE);
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(PoxCodec.writeRequest(r));
        assertThat(PoxCodec.readRequest(buf, PoxLimits.DEFAULT)).isEqualTo(r);
        assertThat(buf.readerIndex()).isZero();
        assertThat(PoxCodec.writeRequestString(r)).isEqualTo("""
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request>
                    <LegacyDN>/o=FRANKYSWEB/cn=franky</LegacyDN>
                    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
                  </Request>
                </Autodiscover>
                """);
    }

    @Test
    void mobileSyncSchemaIsReadButNotOutlook() throws Exception {
        AutodiscoverRequest r = new AutodiscoverRequest(Optional.of("a@b.c"), Optional.empty(),
                PoxNamespaces.MOBILESYNC_RESPONSE);
        AutodiscoverRequest back = PoxCodec.readRequest(PoxCodec.writeRequest(r));
        assertThat(back.acceptsOutlookSchema()).isFalse(); // the service answers 601
    }

    @Test
    void oxdscliSection44MapiHttpResponse() throws Exception {
        AutodiscoverResponse r = PoxCodec.readResponse(resource("ms-oxdscli-4.4-mapihttp-response.xml"));
        assertThat(r.error()).isEmpty();
        User u = r.user().orElseThrow();
        assertThat(u.displayName()).contains("User Display Name");
        assertThat(u.legacyDn()).contains("/o=microsoft/ou=Contoso/cn=Recipients/cn=486021");
        assertThat(u.autoDiscoverSmtpAddress()).contains("user@Contoso.com");
        assertThat(u.deploymentId()).contains("30c3a927-42aa-5de8-91e3-8e5b4655ed00");
        Account a = r.account().orElseThrow();
        assertThat(a.accountType()).isEqualTo("email");
        assertThat(a.action()).isEqualTo(Action.SETTINGS);
        assertThat(a.protocols()).extracting(Protocol::type).containsExactly(ProtocolType.MAPI_HTTP, ProtocolType.WEB);

        Protocol mapi = a.protocols().get(0);
        assertThat(mapi.version()).contains(1);
        assertThat(mapi.mailStore().orElseThrow().internalUrl()).contains(
                "https://mail.Contoso.com/mapi/emsmdb/?MailboxId=416c6368-656d-794a-6f45-57615272456e@Contoso.com");
        assertThat(mapi.mailStore().orElseThrow().externalUrl()).isEmpty();
        assertThat(mapi.addressBook().orElseThrow().internalUrl()).contains(
                "https://mail.Contoso.com/mapi/nspi/?MailboxId=416c6368-656d-794a-6f45-57615272456e@Contoso.com");

        Protocol web = a.protocols().get(1);
        WebEndpoints ext = web.external().orElseThrow();
        assertThat(ext.owaUrls()).containsExactly(new OwaUrl("Fba", "https://mail.Contoso.com/owa"));
        assertThat(ext.protocol().orElseThrow().type()).isEqualTo(ProtocolType.EXPR);
        assertThat(ext.protocol().orElseThrow().asUrl()).contains("https://mail.Contoso.com/ews/exchange.asmx");
        WebEndpoints in = web.internal().orElseThrow();
        assertThat(in.owaUrls()).containsExactly(
                new OwaUrl("Ntlm, WindowsIntegrated", "https:/Internal.mail.Contoso.com/owa"),
                new OwaUrl("Basic, Fba", "https://mail.Contoso.com/owa"));
        assertThat(in.protocol().orElseThrow().type()).isEqualTo(ProtocolType.EXCH);
    }

    @Test
    void oxdscliSection44RoundTrips() throws Exception {
        AutodiscoverResponse r = PoxCodec.readResponse(resource("ms-oxdscli-4.4-mapihttp-response.xml"));
        AutodiscoverResponse back = PoxCodec.readResponse(PoxCodec.writeResponse(r));
        assertThat(back).isEqualTo(r);
    }

    @Test
    void versionAttributeCountsOnlyForMapiHttp() throws Exception {
        // found by PoxResponseFuzzTest: a Type child overriding Type="mapiHttp" kept the Version, which the writer
        // drops for every other protocol, so the response did not read back equal
        String xml = "<Autodiscover xmlns=\"" + PoxNamespaces.RESPONSE + "\"><Response xmlns=\""
                + PoxNamespaces.OUTLOOK_RESPONSE + "\"><Account><AccountType>email</AccountType><Action>settings</Action>"
                + "<Protocol Type=\"mapiHttp\" Version=\"1\"><Type>EXPR</Type><Server>oa.frankysweb.org</Server></Protocol>"
                + "</Account></Response></Autodiscover>";
        AutodiscoverResponse r = PoxCodec.readResponse(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Protocol expr = r.account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow();
        assertThat(expr.version()).isEmpty();
        assertThat(PoxCodec.readResponse(PoxCodec.writeResponse(r))).isEqualTo(r);
    }

    @Test
    void errorWithUserKeepsTheUser() throws Exception {
        // found by PoxResponseFuzzTest (crash-error-with-user): the writer used the error-only shape and dropped the User
        AutodiscoverResponse r = PoxCodec.readResponse(("<Autodiscover xmlns=\"" + PoxNamespaces.RESPONSE + "\"><Response>"
                + "<User><DisplayName>Franky</DisplayName></User><Error><ErrorCode>600</ErrorCode></Error>"
                + "</Response></Autodiscover>").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.user().orElseThrow().displayName()).contains("Franky");
        assertThat(PoxCodec.writeResponseString(r)).contains("<Response xmlns=\"" + PoxNamespaces.OUTLOOK_RESPONSE + "\">");
        assertThat(PoxCodec.readResponse(PoxCodec.writeResponse(r))).isEqualTo(r);
    }

    @Test
    void referenceSampleResponse() throws Exception {
        AutodiscoverResponse r = PoxCodec.readResponse(resource("reference-4.6-response.xml"));
        Account a = r.account().orElseThrow();
        assertThat(a.microsoftOnline()).contains("False");
        assertThat(a.protocols()).extracting(Protocol::type)
                .containsExactly(ProtocolType.EXCH, ProtocolType.EXPR, ProtocolType.WEB);
        Protocol exch = a.protocol(ProtocolType.EXCH).orElseThrow();
        assertThat(exch.server()).contains("cas-array.contoso.com");
        assertThat(exch.serverVersion()).contains("…hex…");
        assertThat(exch.ad()).contains("dc1.contoso.com");
        assertThat(exch.ewsUrl()).contains("https://int.contoso.com/EWS/Exchange.asmx");
        assertThat(exch.serverExclusiveConnect()).contains(false);
        assertThat(exch.authPackage()).isEmpty();
        Protocol expr = a.protocol(ProtocolType.EXPR).orElseThrow();
        assertThat(expr.server()).contains("mail.contoso.com");
        assertThat(expr.ssl()).contains(true);
        assertThat(expr.authPackage()).contains(AuthPackage.NTLM);
        assertThat(expr.serverExclusiveConnect()).contains(true);
        assertThat(expr.certPrincipalName()).isEmpty();
        assertThat(expr.effectiveTtlHours()).isEqualTo(1);
        Protocol web = a.protocol(ProtocolType.WEB).orElseThrow();
        assertThat(web.external().orElseThrow().owaUrls())
                .containsExactly(new OwaUrl("Fba", "https://mail.contoso.com/owa/"));
        assertThat(PoxCodec.readResponse(PoxCodec.writeResponse(r))).isEqualTo(r);
    }

    /** The writer's exact output for the lab site, frozen: Exchange's element order and namespaces. */
    @Test
    void writerEmitsExchangeOrder() throws Exception {
        Protocol exch = Protocol.builder(ProtocolType.EXCH).server("ex1.frankysweb.local")
                .serverDn("/o=FRANKYSWEB/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1")
                .serverVersion("73C18880").mdbDn("/o=FRANKYSWEB/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1/cn=Microsoft Private MDB")
                .ad("dc1.frankysweb.local").asUrl("https://ex1.frankysweb.local/EWS/Exchange.asmx")
                .ewsUrl("https://ex1.frankysweb.local/EWS/Exchange.asmx")
                .oabUrl("https://ex1.frankysweb.local/OAB/").serverExclusiveConnect(false).build();
        Protocol expr = Protocol.builder(ProtocolType.EXPR).server("oa.frankysweb.org").ssl(true)
                .authPackage(AuthPackage.NTLM).asUrl("https://oa.frankysweb.org/EWS/Exchange.asmx")
                .ewsUrl("https://oa.frankysweb.org/EWS/Exchange.asmx").oabUrl("https://oa.frankysweb.org/OAB/")
                .ttl(2).serverExclusiveConnect(true).certPrincipalName("msstd:oa.frankysweb.org").build();
        Protocol web = Protocol.builder(ProtocolType.WEB)
                .external(new WebEndpoints(List.of(new OwaUrl("Fba", "https://oa.frankysweb.org/owa/")),
                        Optional.of(Protocol.builder(ProtocolType.EXPR)
                                .asUrl("https://oa.frankysweb.org/EWS/Exchange.asmx").build())))
                .build();
        AutodiscoverResponse r = AutodiscoverResponse.settings(
                User.of("Franky & \"Co\" <Admin>", "/o=FRANKYSWEB/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky",
                        "franky@frankysweb.org"),
                Account.settings(List.of(exch, expr, web)));
        String expected = new String(resource("anywhere-settings-response.xml"), StandardCharsets.UTF_8);
        assertThat(PoxCodec.writeResponseString(r)).isEqualTo(expected);
        assertThat(PoxCodec.readResponse(expected.getBytes(StandardCharsets.UTF_8))).isEqualTo(r);
    }

    @Test
    void predefinedEntitiesAndCharacterReferencesAreText() throws Exception {
        String xml = "<Autodiscover xmlns=\"" + PoxNamespaces.REQUEST + "\"><Request><EMailAddress>"
                + "&#102;ranky&amp;co@example.org</EMailAddress><LegacyDN><![CDATA[/o=A&B]]></LegacyDN>"
                + "<AcceptableResponseSchema>" + PoxNamespaces.OUTLOOK_RESPONSE + "</AcceptableResponseSchema>"
                + "</Request></Autodiscover>";
        AutodiscoverRequest r = PoxCodec.readRequest(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(r.emailAddress()).contains("franky&co@example.org");
        assertThat(r.legacyDn()).contains("/o=A&B");
    }

    @Test
    void writerEmitsErrorShape() throws Exception {
        AutodiscoverResponse r = AutodiscoverResponse.error(
                AutodiscoverError.of(ErrorCode.INVALID_REQUEST, "18:40:12.1727802", "2477252371"));
        String expected = new String(resource("anywhere-error-600.xml"), StandardCharsets.UTF_8);
        assertThat(PoxCodec.writeResponseString(r)).isEqualTo(expected);
        AutodiscoverResponse back = PoxCodec.readResponse(expected.getBytes(StandardCharsets.UTF_8));
        AutodiscoverError e = back.error().orElseThrow();
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(e.errorCode().toString()).isEqualTo("INVALID_REQUEST(600)");
        assertThat(e.time()).contains("18:40:12.1727802");
        assertThat(e.id()).contains("2477252371");
        assertThat(e.message()).contains("Invalid Request");
        assertThat(e.debugData()).contains("");
        assertThat(back).isEqualTo(r);
    }

    @Test
    void stampedErrorLooksLikeExchanges() {
        AutodiscoverError e = AutodiscoverError.stamped(ErrorCode.PROVIDER_UNAVAILABLE,
                java.time.LocalTime.of(18, 40, 12, 172_780_200), "EX1");
        assertThat(e.time()).contains("18:40:12.1727802");
        assertThat(e.id()).contains(Integer.toUnsignedString("ex1".hashCode()));
        assertThat(e.message()).contains("The requested schema is not available.");
    }

    @Test
    void redirectsRoundTrip() throws Exception {
        AutodiscoverResponse addr = AutodiscoverResponse.redirect(Account.redirectAddr("franky@frankysweb.net"));
        AutodiscoverResponse url = AutodiscoverResponse.redirect(
                Account.redirectUrl("https://autodiscover.frankysweb.net/autodiscover/autodiscover.xml"));
        assertThat(PoxCodec.readResponse(PoxCodec.writeResponse(addr))).isEqualTo(addr);
        assertThat(PoxCodec.readResponse(PoxCodec.writeResponse(url))).isEqualTo(url);
        assertThat(PoxCodec.writeResponseString(addr)).contains("<Action>redirectAddr</Action>",
                "<RedirectAddr>franky@frankysweb.net</RedirectAddr>");
    }

    @Test
    void everyErrorCodeRoundTrips() throws Exception {
        for (int code : new int[] {500, 501, 600, 601, 602, 603}) {
            AutodiscoverResponse r = AutodiscoverResponse.error(AutodiscoverError.of(ErrorCode.valueOf(code), "t", "1"));
            assertThat(PoxCodec.readResponse(PoxCodec.writeResponse(r))).isEqualTo(r);
        }
        assertThat(ErrorCode.valueOf(799).toString()).isEqualTo("UNKNOWN(799)");
    }

    @Test
    void enumLikeValuesAreCaseInsensitive() throws Exception {
        String xml = """
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
                  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
                    <Account><AccountType>email</AccountType><Action>SETTINGS</Action>
                      <Protocol><Type>expr</Type><Server>oa.example.org</Server><SSL>on</SSL>
                        <AuthPackage>ntlm</AuthPackage><ServerExclusiveConnect>On</ServerExclusiveConnect>
                        <TTL>0</TTL><CertPrincipalName>None</CertPrincipalName>
                        <EcpUrl-um>?p=x</EcpUrl-um><GroupingInformation>g</GroupingInformation></Protocol>
                      <Protocol><Type>EXHTTP</Type><SSL>OFF</SSL><AuthPackage>NEGOTIATE</AuthPackage></Protocol>
                      <Protocol><Type>FUTURE</Type><Server>x</Server></Protocol>
                    </Account>
                  </Response>
                </Autodiscover>""";
        Account a = PoxCodec.readResponse(xml.getBytes(StandardCharsets.UTF_8)).account().orElseThrow();
        assertThat(a.action()).isEqualTo(Action.SETTINGS);
        assertThat(a.protocols()).extracting(Protocol::type).containsExactly(ProtocolType.EXPR, ProtocolType.EXHTTP);
        Protocol expr = a.protocols().get(0);
        assertThat(expr.ssl()).contains(true);
        assertThat(expr.authPackage()).contains(AuthPackage.NTLM);
        assertThat(expr.serverExclusiveConnect()).contains(true);
        assertThat(expr.ttl()).contains(0);
        assertThat(expr.certPrincipalName()).contains("None");
        assertThat(a.protocols().get(1).ssl()).contains(false);
        assertThat(a.protocols().get(1).authPackage()).contains(AuthPackage.NEGOTIATE);
    }
}

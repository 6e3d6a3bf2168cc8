package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The schema for Anywhere's objects ({@code anywhere-ad.ldif} beside this class's package): Active Directory and
 * Exchange attribute and class names, one source for both the UnboundID in-memory server and OpenLDAP.
 */
public final class DirectorySchema {

    /** Classpath location of the schema LDIF (a {@code cn=schema} subschema entry). */
    public static final String RESOURCE = "/dev/anywhere/directory/schema/anywhere-ad.ldif";
    /** The OpenLDAP schema files this schema builds on, in load order. */
    public static final List<String> OPENLDAP_PREREQUISITES = List.of("core", "cosine", "inetorgperson");

    private DirectorySchema() {
    }

    /** The subschema entry as shipped. */
    public static Entry entry() {
        try (InputStream in = DirectorySchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource: missing " + RESOURCE + " (expected: on the classpath)");
            }
            try (LDIFReader reader = new LDIFReader(in)) {
                return reader.readEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("schema resource " + RESOURCE, e);
        } catch (LDIFException e) {
            throw new IllegalStateException("schema resource " + RESOURCE + ": line " + e.getLineNumber()
                    + " (expected: valid LDIF)", e);
        }
    }

    /** UnboundID's default standard schema merged with ours: what the embedded server enforces. */
    public static Schema unboundIdSchema() {
        try {
            return Schema.mergeSchemas(Schema.getDefaultStandardSchema(), new Schema(entry()));
        } catch (LDAPException e) {
            throw new IllegalStateException("default standard schema: " + e.getResultCode() + " (expected: loadable)", e);
        }
    }

    public static List<String> attributeTypes() {
        return List.of(entry().getAttributeValues("attributeTypes"));
    }

    public static List<String> objectClasses() {
        return List.of(entry().getAttributeValues("objectClasses"));
    }

    /**
     * The schema as an OpenLDAP {@code cn=config} entry ({@code olcAttributeTypes}/{@code olcObjectClasses}), to add
     * with {@code slapadd -n0} or {@code ldapadd} under {@code cn=schema,cn=config} after the prerequisites.
     */
    public static String openLdapConfigLdif() {
        StringBuilder out = new StringBuilder();
        out.append("dn: cn=anywhere,cn=schema,cn=config\n");
        out.append("objectClass: olcSchemaConfig\n");
        out.append("cn: anywhere\n");
        for (String a : attributeTypes()) {
            out.append("olcAttributeTypes: ").append(a).append('\n');
        }
        for (String o : objectClasses()) {
            out.append("olcObjectClasses: ").append(o).append('\n');
        }
        return out.toString();
    }
}

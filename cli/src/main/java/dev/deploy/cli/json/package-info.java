/**
 * The documents {@code deploy COMMAND --json} prints, one record type per document ({@link PlanDocument},
 * {@link ApplyDocument}, {@link RollbackDocument}, {@link GenerationsDocument}, {@link GcDocument},
 * {@link LockDocument},
 * {@link ErrorDocument}), serialized by Jackson in the order of their components.
 *
 * <p>Versioning: every document has {@code "format": 1}. Fields are only ever added, never renamed, removed or
 * given another type; a change that cannot be made that way gets a new {@code format} number. Every host entry of
 * a document has all of its fields, {@code null} where one does not apply (a host that failed has no plan). The
 * field names of every document are pinned by {@code JsonFieldsTest} against {@code json-fields.txt}.
 */
package dev.deploy.cli.json;

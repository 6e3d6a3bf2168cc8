/**
 * What every module shares about input an administrator or user gives: {@link dev.anywhere.rpc.input.InvalidValue},
 * the keyed refusal of a value (a key, the value as given, the English sentence), which a user interface says in its
 * reader's language. Here, in the lowest module, so that no module needs the server's to refuse a value.
 */
package dev.anywhere.rpc.input;

/**
 * @peculiar/x509, loaded after the Reflect metadata polyfill its dependency injection (tsyringe) needs.
 * Import X.509 classes from here, never from "@peculiar/x509" directly.
 */
import "reflect-metadata";

export * from "@peculiar/x509";

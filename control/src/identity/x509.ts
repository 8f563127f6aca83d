// @peculiar/x509, loaded after the metadata shim it needs. Only the control plane bundles it.
import "./reflect-metadata";
export * as x509 from "@peculiar/x509";

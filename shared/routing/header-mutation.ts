// Applies a header mutation (Gateway API Request/ResponseHeaderModifier, Istio `headers`) to a header bag.
import type { HeaderMutationModel } from "../model/snapshot";

/** The part of `Headers` a mutation needs; a plain Map-backed object works in tests. */
export interface MutableHeaders {
  set(name: string, value: string): void;
  append(name: string, value: string): void;
  delete(name: string): void;
}

/** Envoy's order: remove first, then set (replace), then add (append). */
export function applyHeaderMutation(headers: MutableHeaders, mutation: HeaderMutationModel | undefined): void {
  if (!mutation) return;
  for (const name of mutation.remove) headers.delete(name);
  for (const { name, value } of mutation.set) headers.set(name, value);
  for (const { name, value } of mutation.add) headers.append(name, value);
}

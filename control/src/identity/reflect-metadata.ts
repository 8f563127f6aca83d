// The few `Reflect` metadata functions tsyringe (a dependency of @peculiar/x509) insists on finding at load time.
// Nothing in flaremesh uses decorators' metadata; this only satisfies the check without a 50 KB polyfill.

type Target = object;
interface MetadataReflect {
  getMetadata?: (key: unknown, target: Target) => unknown;
  getOwnMetadata?: (key: unknown, target: Target) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: Target) => void;
  hasMetadata?: (key: unknown, target: Target) => boolean;
  metadata?: (key: unknown, value: unknown) => (target: Target) => void;
}

const reflect = Reflect as unknown as MetadataReflect;

if (typeof reflect.getMetadata !== "function") {
  const store = new WeakMap<Target, Map<unknown, unknown>>();
  const own = (key: unknown, target: Target) => store.get(target)?.get(key);
  reflect.defineMetadata = (key, value, target) => {
    let map = store.get(target);
    if (map === undefined) store.set(target, (map = new Map()));
    map.set(key, value);
  };
  reflect.getOwnMetadata = own;
  reflect.getMetadata = (key, target) => {
    for (let o: Target | null = target; o !== null; o = Object.getPrototypeOf(o) as Target | null) {
      const value = own(key, o);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  reflect.hasMetadata = (key, target) => reflect.getMetadata?.(key, target) !== undefined;
  reflect.metadata = (key, value) => (target) => reflect.defineMetadata?.(key, value, target);
}

export {};

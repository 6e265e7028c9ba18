import type * as z from 'zod/mini';

/** A string or array somewhere in a schema, by its dotted path, that accepts any length. */
export interface UnboundedField {
  path: string;
  kind: string;
}

interface Internals {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, z.ZodMiniType>;
      element?: z.ZodMiniType;
      innerType?: z.ZodMiniType;
      in?: z.ZodMiniType;
      out?: z.ZodMiniType;
      options?: z.ZodMiniType[];
      left?: z.ZodMiniType;
      right?: z.ZodMiniType;
      keyType?: z.ZodMiniType;
      valueType?: z.ZodMiniType;
      items?: z.ZodMiniType[];
      rest?: z.ZodMiniType | null;
      catchall?: z.ZodMiniType;
      getter?: () => z.ZodMiniType;
      format?: string;
      checks?: Array<{ _zod: { def: { check: string; maximum?: number; length?: number } } }>;
    };
  };
}

/** Whether a schema carries a finite maximum length or size of its own. */
function hasMaximum(def: Internals['_zod']['def']): boolean {
  return (def.checks ?? []).some(({ _zod: { def: check } }) =>
    check.check === 'length_equals'
      ? Number.isFinite(check.length)
      : (check.check === 'max_length' || check.check === 'max_size') && Number.isFinite(check.maximum),
  );
}

/** String formats whose pattern fixes a short length (a UUID is 36 characters). */
const boundedFormats = new Set(['uuid', 'guid', 'uuidv4', 'uuidv6', 'uuidv7', 'cuid', 'ulid', 'date', 'time', 'datetime']);

/**
 * Every string, array, record and catch-all in a schema that has no maximum:
 * such a field lets one request carry as much work or memory as its body
 * allows, so every route bounds each one (a `.max`, an enum or a fixed format).
 */
export function unboundedFields(schema: z.ZodMiniType | undefined, path = '', seen = new Set<unknown>()): UnboundedField[] {
  if (!schema || seen.has(schema)) return [];
  seen.add(schema);
  const { def } = (schema as unknown as Internals)._zod;
  const inner = (child: z.ZodMiniType | undefined | null, at = path) => (child ? unboundedFields(child, at, seen) : []);
  const bounded = hasMaximum(def);
  switch (def.type) {
    case 'string':
      return bounded || (def.format !== undefined && boundedFormats.has(def.format)) ? [] : [{ path, kind: 'string' }];
    case 'array':
      return [...(bounded ? [] : [{ path, kind: 'array' }]), ...inner(def.element, `${path}[]`)];
    case 'set':
      return [...(bounded ? [] : [{ path, kind: 'set' }]), ...inner(def.valueType, `${path}[]`)];
    case 'record':
    case 'map':
      return [{ path, kind: def.type }, ...inner(def.valueType, `${path}.*`)];
    case 'object': {
      const fields = Object.entries(def.shape ?? {}).flatMap(([key, child]) => inner(child, path ? `${path}.${key}` : key));
      const rest = def.catchall && (def.catchall as unknown as Internals)._zod.def.type !== 'never';
      return rest ? [...fields, { path: `${path}.*`, kind: 'catchall' }] : fields;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'catch':
    case 'readonly':
    case 'success':
      return inner(def.innerType);
    case 'pipe':
      return [...inner(def.in), ...inner(def.out)];
    case 'union':
      return (def.options ?? []).flatMap((option) => inner(option));
    case 'intersection':
      return [...inner(def.left), ...inner(def.right)];
    case 'tuple':
      return [...(def.items ?? []).flatMap((item, index) => inner(item, `${path}[${index}]`)), ...inner(def.rest, `${path}[]`)];
    case 'lazy':
      return def.getter ? inner(def.getter()) : [];
    case 'number':
    case 'int':
    case 'bigint':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'null':
    case 'undefined':
    case 'never':
    case 'transform':
    case 'date':
    case 'nan':
    case 'void':
      return [];
    default:
      // A kind this walk does not know could hide an unbounded field: report it rather than pass it.
      return [{ path, kind: `unknown schema type ${def.type}` }];
  }
}

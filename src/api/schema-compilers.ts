// Route validators (Ajv) and response serializers (fast-json-stringify), each compiled on its route's first
// use instead of all at start-up. Fastify compiles both for every route and status when the app becomes
// ready: a quarter of a start's CPU when profiled (0.55 of 2.2 CPU-s), paid by every process start, every
// CLI command that builds the app and every test harness, for routes most of them never call. The first
// request of a route pays its compilation once (milliseconds). `compileAll` compiles whatever is left, so
// a schema that does not compile still fails before it ships (test/api/schema-compilers.test.ts).
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { AnySchema, Ajv, ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

type SerializerFactory = ReturnType<typeof SerializerSelector>;

export class SchemaCompilers {
  private readonly pending = new Set<() => void>();

  /** Routes' validators and serializers not compiled yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Compiles every validator and serializer not compiled yet; one whose schema does not compile throws. */
  compileAll(): void {
    for (const compile of this.pending) compile();
  }

  /** Fastify's own serializer factory, compiling a route's serializer when it first answers. */
  serializers(factory: SerializerFactory = SerializerSelector()): SerializerFactory {
    // The factory is asked again for every route: Fastify's compiler edits the options object it is bound to
    // (it drops a route's own schema from the shared ones), so routes compiled in any order see the same.
    return (sharedSchemas, options) => (route) => {
      const compiled = this.deferred(() => factory(sharedSchemas, options)(route));
      return (document) => compiled()(document);
    };
  }

  /**
   * A validator compiler that compiles with `ajvFor(part)` when the route first validates that part. Fastify
   * reads a failed validation's `errors` off the function it was given, so they are copied onto it.
   */
  validators(ajvFor: (httpPart: string | undefined) => Ajv): FastifySchemaCompiler<AnySchema> {
    return ({ schema, httpPart }) => {
      const compiled = this.deferred((): ValidateFunction => ajvFor(httpPart).compile(schema));
      const validate = Object.assign(
        (data: unknown) => {
          const compiledValidate = compiled();
          const valid = compiledValidate(data);
          validate.errors = compiledValidate.errors;
          return valid;
        },
        { errors: undefined as ValidateFunction['errors'] },
      );
      return validate;
    };
  }

  /** `compile`'s result, made on first call (or by compileAll) and kept. */
  private deferred<T>(compile: () => T): () => T {
    let result: { value: T } | undefined;
    const get = () => {
      if (!result) {
        result = { value: compile() };
        this.pending.delete(get);
      }
      return result.value;
    };
    this.pending.add(get);
    return get;
  }
}

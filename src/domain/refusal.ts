// Why the domain said no. Adapters turn a refusal into their wire format (the API's 4xx envelope,
// the page's friendly message); the domain never knows about HTTP.

export interface FieldProblem {
  field: string;
  message: string;
}

export type RefusalKind =
  | 'validation' // 400 api_validation_error
  | 'state' // 422: valid request, session in the wrong state
  | 'not_found' // 404 resource_missing
  | 'duplicate' // 409 duplicate_error
  | 'idempotency'; // 409 idempotency_error

export const IDEMPOTENCY_CONFLICT =
  'The same X-REQUEST-ID was provided with a different payload or endpoint; use a new X-REQUEST-ID for a new request';

export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'Refusal';
  }

  static validation(details: FieldProblem[]): Refusal {
    return new Refusal('validation', 'api_validation_error', 'The request is invalid', details);
  }

  static field(field: string, message: string): Refusal {
    return Refusal.validation([{ field, message }]);
  }

  /** An X-REQUEST-ID already used for another request (another body, or another endpoint). */
  static idempotencyConflict(): Refusal {
    return new Refusal('idempotency', 'idempotency_error', IDEMPOTENCY_CONFLICT);
  }
}

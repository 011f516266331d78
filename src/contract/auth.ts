// Authentication on the wire (pivot-api §2): the client-credentials exchange and the bearer token every
// /v2 operation requires. The security schemes are declared here and referenced by each operation.
import { Type } from 'typebox';
import { Enum } from './common.ts';

export const securitySchemes = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The accessToken from POST /v1/access-token (900 s)',
  },
  merchantId: { type: 'apiKey', in: 'header', name: 'X-MERCHANT-ID', description: 'Client id (merchant id)' },
  merchantSecret: { type: 'apiKey', in: 'header', name: 'X-MERCHANT-SECRET', description: 'Client secret' },
} as const;

export const bearerSecurity = [{ bearerAuth: [] }];
export const clientCredentialsSecurity = [{ merchantId: [], merchantSecret: [] }];

export const AccessTokenRequest = Type.Object(
  { grantType: Enum(['client_credentials'] as const) },
  { $id: 'AccessTokenRequest' },
);

/**
 * Required here so clients must send them; a missing one is still answered 401 credentials_invalid (as a
 * wrong one is), not 400 — see the route's schemaErrorFormatter.
 */
export const AccessTokenHeaders = Type.Object({
  'x-merchant-id': Type.String({ maxLength: 200, description: 'Client id', example: 'demo' }),
  'x-merchant-secret': Type.String({ maxLength: 500, description: 'Client secret', example: 'demo-secret-123' }),
});

export const AccessToken = Type.Object(
  {
    accessToken: Type.String(),
    expiresIn: Type.String({ description: 'Seconds, as a string ("900")' }),
    tokenType: Enum(['Bearer'] as const),
  },
  { $id: 'AccessToken' },
);

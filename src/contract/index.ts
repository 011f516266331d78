// The wire contract of the merchant API: named schemas, operations, and the OpenAPI pieces that are not
// schemas. One module feeds request validation, response serialisation, the handlers' types and
// /openapi.json. It imports only the domain's constant lists, never HTTP or storage.
import type { TSchema } from 'typebox';
import { Amount, AmountInput, ErrorEnvelope, FieldProblem, Pagination } from './common.ts';
import {
  CancelPaymentRequest,
  ConfirmPaymentRequest,
  CreatePaymentRequest,
  PaymentMethodInput,
  PaymentMethodOptions,
  PaymentSession,
  SimulationRequest,
  SimulationResult,
} from './payments.ts';
import { CardInput } from './methods.ts';
import { CardCharge, Charge, Ewallet, FdsRiskAssessment, PaymentMethod, Qr, VirtualAccount } from './charges.ts';
import { Capture, CaptureRequest } from './captures.ts';
import { CustomerObject, StoredPaymentMethod } from './customers.ts';
import { Customer, OrderInformation, RedirectUrl } from './shopper.ts';
import { AccessToken, AccessTokenRequest } from './auth.ts';
import { MethodConfig, PaymentMethodConfigs } from './method-configs.ts';
import { Callback, CallbackAttempt } from './callbacks.ts';
import {
  CreateRefundRequest,
  Refund,
  RefundAmount,
  RefundAmountInput,
  RefundSimulationRequest,
  TransferDestination,
} from './refunds.ts';

/** Every named schema: registered once with Fastify and each validator, emitted as components.schemas. */
export const sharedSchemas: TSchema[] = [
  AmountInput,
  Amount,
  Pagination,
  FieldProblem,
  ErrorEnvelope,
  AccessTokenRequest,
  AccessToken,
  Customer,
  OrderInformation,
  RedirectUrl,
  PaymentMethodOptions,
  CardInput,
  PaymentMethodInput,
  CreatePaymentRequest,
  ConfirmPaymentRequest,
  CancelPaymentRequest,
  CaptureRequest,
  Capture,
  SimulationRequest,
  SimulationResult,
  VirtualAccount,
  Qr,
  Ewallet,
  CardCharge,
  FdsRiskAssessment,
  Charge,
  PaymentMethod,
  PaymentSession,
  StoredPaymentMethod,
  CustomerObject,
  MethodConfig,
  PaymentMethodConfigs,
  CallbackAttempt,
  Callback,
  RefundAmountInput,
  TransferDestination,
  CreateRefundRequest,
  RefundSimulationRequest,
  RefundAmount,
  Refund,
];

export { securitySchemes } from './auth.ts';
export const API_TITLE = 'Kasir payment-session API';
export { API_INTRO as API_DESCRIPTION, decorateDocument } from './reference.ts';

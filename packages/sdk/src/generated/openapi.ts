// Generated from the served /openapi.json by test/contract/typed-client.test.ts (KASIR_WRITE_CLIENT_TYPES=1).
export interface paths {
    "/v1/access-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange client credentials for a 900-second bearer token */
        post: operations["createAccessToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List payment sessions, newest first */
        get: operations["listPayments"];
        put?: never;
        /**
         * Create a payment session
         * @description Idempotent on X-REQUEST-ID for 24 hours: the same key and body replay the first answer.
         */
        post: operations["createPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/payments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a payment session */
        get: operations["getPayment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/payments/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm a payment session
         * @description paymentMethodOptions is accepted beside paymentMethod (Pivot's table) and inside it (Pivot's example).
         */
        post: operations["confirmPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/payments/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a payment session */
        post: operations["cancelPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/payments/{id}/capture": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Capture all or part of a manual-capture card authorization
         * @description Only for a card charge created with captureMethod manual and now WAITING_FOR_CAPTURE. Several partial captures may be taken while their total stays within authorizedAmount; the capture that takes the rest, or one with releaseRemainingAmount, ends it (charge SUCCESS, session PAID). With X-REQUEST-ID a retried capture answers the first one.
         */
        post: operations["capturePayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a customer and its saved payment methods
         * @description A customer is known once a card paid with saveForFutureUse for it; until then 404. Only storedPaymentMethods is kept: the customer object itself is on each session.
         */
        get: operations["getCustomer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/charges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List charges, newest first
         * @description Every charge of the merchant's sessions; a MULTIPLE session's chargeDetails holds only its latest 10, and this pages through all of them.
         */
        get: operations["listCharges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/payment-method-configs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Enabled payment methods, channels and limits */
        get: operations["getPaymentMethodConfigs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/payments/simulations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Simulate a payment outcome (sandbox only) */
        post: operations["simulatePayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List refunds, newest first */
        get: operations["listRefunds"];
        put?: never;
        /**
         * Refund a payment, in full or in part
         * @description Idempotent on X-REQUEST-ID for 24 hours, like createPayment. The refunds of a charge that are not FAILED or CANCELLED never add up to more than it paid: a refund beyond what remains is refused with 422 refund_amount_exceeded.
         */
        post: operations["createRefund"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a refund */
        get: operations["getRefund"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds/simulations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Settle an open refund now (sandbox only, Kasir extension)
         * @description SUCCESS or FAILED at once, the way the refund is being sent (channel or account); its REFUND.* callback follows. Not served in production.
         */
        post: operations["simulateRefund"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List callbacks with every delivery attempt (Kasir extension) */
        get: operations["listCallbacks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a callback again now (Kasir extension) */
        post: operations["resendCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream the merchant's callbacks as they are written (Server-Sent Events; Kasir extension)
         * @description Each callback the outbox gains, in the order written, as one SSE message (`id:` the callback id, `data:` a StreamedEvent as JSON), with a `: keep-alive` comment every 15 seconds. Reconnect with Last-Event-ID (or ?after=) to resume after the last message seen. At most 5 streams per merchant are open on one instance at once; more answer 429.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Amount Object as a request carries it */
        AmountInput: {
            /** @description Integer amount (IDR has no decimals) */
            value: number;
            /**
             * @description ISO 4217 code
             * @enum {string}
             */
            currency: "IDR";
        } & {
            [key: string]: unknown;
        };
        /** @description Amount Object (0 for an open-amount MULTIPLE session) */
        Amount: {
            value: number;
            currency: string;
        };
        Pagination: {
            page: number;
            perPage: number;
            totalItems: number;
            totalPages: number;
        };
        FieldProblem: {
            /** @description The field (dotted path, or a header name) at fault */
            field: string;
            message: string;
        };
        /** @description Pivot's error envelope */
        ErrorEnvelope: {
            /** @description Error code; each response lists the codes its route can answer */
            code: string;
            message: string;
            error: {
                /** @enum {string} */
                type: "API_ERROR" | "GATEWAY_ERROR";
                /** @enum {string} */
                source: "UPSTREAM" | "DOWNSTREAM" | "SYSTEM";
                /** @description One entry per bad field (400); empty otherwise */
                details: components["schemas"]["FieldProblem"][];
                /** @description The request's id, also on its log lines */
                traceId: string;
            };
        };
        AccessTokenRequest: {
            /** @enum {string} */
            grantType: "client_credentials";
        };
        AccessToken: {
            accessToken: string;
            /** @description Seconds, as a string ("900") */
            expiresIn: string;
            /** @enum {string} */
            tokenType: "Bearer";
        };
        /** @description Customer Object as sent; returned as sent (sureName read as surname) */
        Customer: {
            givenName?: string;
            surname?: string;
            /** @description Legacy spelling of surname; accepted, never emitted */
            sureName?: string;
            /** Format: email */
            email?: string;
            phoneNumber?: {
                countryCode: string;
                /** @description Digits without the leading 0, e.g. 89699990001 */
                number: string;
            };
            refundPreference?: {
                /** @enum {string} */
                method: "AUTO" | "TRANSFER_ONLY";
                transferDestination?: {
                    channelCode: string;
                    channelInformation: {
                        accountNumber: string;
                        accountName: string;
                    };
                };
            };
        };
        OrderInformation: {
            productDetails: {
                /** @enum {string} */
                type: "PHYSICAL" | "DIGITAL" | "SERVICE";
                category?: string;
                subCategory?: string;
                name?: string;
                description?: string;
                quantity: number;
                price: components["schemas"]["AmountInput"];
            }[];
            billingInfo?: {
                givenName?: string;
                surname?: string;
                /** @description Legacy spelling of surname; accepted, never emitted */
                sureName?: string;
                /** Format: email */
                email?: string;
                phoneNumber?: {
                    countryCode: string;
                    /** @description Digits without the leading 0, e.g. 89699990001 */
                    number: string;
                };
                addressLine1?: string;
                addressLine2?: string;
                city?: string;
                provinceState?: string;
                country?: string;
                postalCode?: string;
            };
            shippingInfo?: {
                givenName?: string;
                surname?: string;
                /** @description Legacy spelling of surname; accepted, never emitted */
                sureName?: string;
                /** Format: email */
                email?: string;
                phoneNumber?: {
                    countryCode: string;
                    /** @description Digits without the leading 0, e.g. 89699990001 */
                    number: string;
                };
                addressLine1?: string;
                addressLine2?: string;
                city?: string;
                provinceState?: string;
                country?: string;
                postalCode?: string;
                /** @enum {string} */
                method?: "REGULAR" | "NEXTDAY" | "SAMEDAY" | "INSTANT";
                shippingFee?: components["schemas"]["AmountInput"];
            };
        };
        RedirectUrl: {
            /** @description Absolute http(s) URL (https only in production) */
            successReturnUrl?: string;
            /** @description Absolute http(s) URL (https only in production) */
            failureReturnUrl?: string;
            /** @description Absolute http(s) URL (https only in production) */
            expirationReturnUrl?: string;
        };
        PaymentMethodOptions: {
            virtualAccount?: {
                /** @enum {string} */
                channel?: "BCA" | "BRI" | "MANDIRI" | "BNI" | "BSI" | "CIMB" | "PERMATA" | "BNC" | "DANAMON";
                virtualAccountName?: string;
                virtualAccountNumber?: string;
                /**
                 * Format: date-time
                 * @description ISO-8601 timestamp, UTC
                 */
                expiryAt?: string;
            };
            qr?: {
                /**
                 * Format: date-time
                 * @description ISO-8601 timestamp, UTC
                 */
                expiryAt?: string;
            };
            ewallet?: {
                /** @enum {string} */
                channel?: "DANA" | "SHOPEEPAY" | "OVO";
                /**
                 * Format: date-time
                 * @description ISO-8601 timestamp, UTC
                 */
                expiryAt?: string;
            };
            card?: {
                /** @enum {string} */
                captureMethod?: "automatic" | "manual" | "AUTOMATIC" | "MANUAL";
                /**
                 * @description AUTOMATIC (default), CHALLENGE, NEVER; EXTERNAL is refused
                 * @enum {string}
                 */
                threeDsMethod?: "AUTOMATIC" | "CHALLENGE" | "NEVER" | "EXTERNAL";
                processingConfig?: {
                    [key: string]: unknown;
                };
                threeDsInfo?: {
                    [key: string]: unknown;
                };
                cardOnFile?: {
                    [key: string]: unknown;
                };
                installment?: {
                    [key: string]: unknown;
                };
            };
        };
        CardInput: {
            /** @description Base64 RSA-OAEP (SHA-256) ciphertext, under the session's encryptionKey, of the JSON {"number","expMonth","expYear","cvc","cardHolderName"?} */
            encryptedCard?: string;
            /** @description A saved card's token (GET /v1/customers/{customerId} storedPaymentMethods), for the same customer; confirm only, instead of encryptedCard */
            token?: string;
            cardHolderFirstName?: string;
            cardHolderLastName?: string;
            cardHolderEmail?: string;
            cardHolderPhone?: string;
        };
        PaymentMethodInput: {
            /** @enum {string} */
            type: "VIRTUAL_ACCOUNT" | "QR" | "EWALLET" | "CARD";
            card?: components["schemas"]["CardInput"];
            paymentMethodOptions?: components["schemas"]["PaymentMethodOptions"];
            ewallet?: {
                /** @description Registered mobile number: 08…, 8…, 628… or +628… (OVO: where the push goes) */
                accountIdentifier?: string;
            };
        };
        CreatePaymentRequest: {
            /** @description Merchant's unique payment reference */
            clientReferenceId: string;
            amount?: components["schemas"]["AmountInput"];
            /**
             * @description SINGLE (default) or MULTIPLE (API mode, QR or VIRTUAL_ACCOUNT)
             * @enum {string}
             */
            paymentType?: "SINGLE" | "MULTIPLE";
            paymentMethod?: components["schemas"]["PaymentMethodInput"];
            paymentMethodOptions?: components["schemas"]["PaymentMethodOptions"];
            saveForFutureUse?: boolean;
            /** @description Spelling in two Pivot examples; alias of saveForFutureUse */
            saveForFuture?: boolean;
            showSavedPayment?: boolean;
            /** @enum {string} */
            mode?: "REDIRECT" | "API";
            bypassStatusPage?: boolean;
            redirectUrl: components["schemas"]["RedirectUrl"];
            customerId?: string;
            customer?: components["schemas"]["Customer"];
            orderInformation?: components["schemas"]["OrderInformation"];
            autoConfirm?: boolean;
            statementDescriptor?: string;
            /** @enum {string} */
            expirationMode?: "LOOSE" | "STRICT";
            /**
             * Format: date-time
             * @description ISO-8601 timestamp, UTC
             */
            expiryAt?: string;
            metadata?: {
                [key: string]: unknown;
            };
            recurringId?: string;
            initiateFirstAuthorization?: boolean;
            splitRoutingConfigurations?: {
                [key: string]: unknown;
            }[];
        } & ({
            amount: components["schemas"]["AmountInput"];
        } | {
            /**
             * @description open amount
             * @enum {string}
             */
            paymentType: "MULTIPLE";
        });
        ConfirmPaymentRequest: {
            paymentMethod?: components["schemas"]["PaymentMethodInput"];
            paymentMethodOptions?: components["schemas"]["PaymentMethodOptions"];
        };
        CancelPaymentRequest: {
            /** @enum {string} */
            cancellationReason: "REQUESTED_BY_CUSTOMER" | "DUPLICATED" | "VOID_SESSION";
        };
        /** @description amount omitted: capture everything not captured yet */
        CaptureRequest: {
            /** @description true ends the authorization after this capture: the rest of it is released, never captured */
            releaseRemainingAmount: boolean;
            amount?: {
                /** @description Integer; at most what is left of the authorization. 0 (with releaseRemainingAmount) only releases the rest */
                value: number;
                /**
                 * @description The charge's currency
                 * @enum {string}
                 */
                currency: "IDR";
            } & {
                [key: string]: unknown;
            };
        };
        Capture: {
            id: string;
            paymentSessionId: string;
            paymentSessionClientReferenceId: string;
            releaseRemainingAmount: boolean;
            amount: components["schemas"]["Amount"];
            /**
             * @description Kasir captures at once: SUCCESS
             * @enum {string}
             */
            status: "PENDING" | "SUCCESS" | "FAILED";
            createdAt: string;
            updatedAt: string;
        };
        SimulationRequest: {
            paymentSessionId: string;
            /**
             * @description SUCCESS or EXPIRED (Pivot); FAILED is a Kasir extension
             * @enum {string}
             */
            chargeStatus: "SUCCESS" | "EXPIRED" | "FAILED";
            amount?: components["schemas"]["AmountInput"];
        };
        SimulationResult: {
            updated: boolean;
        };
        VirtualAccount: {
            channel: string | null;
            virtualAccountNumber: string | null;
            virtualAccountName: string | null;
            expiryAt: string | null;
        };
        Qr: {
            acquirer: string;
            /** @description QRIS (EMVCo MPM) payload */
            qrContent: string;
            qrUrl: string | null;
            qrType: string;
            merchantName: string;
            expiryAt: string | null;
        };
        /** @description E-wallet charge object (pivot-api §6.2) and paymentMethod.ewallet */
        Ewallet: {
            /** @enum {string|null} */
            channel: "DANA" | "SHOPEEPAY" | "OVO" | null;
            /** @description paymentMethod only: the mobile number the merchant sent, as sent */
            accountIdentifier?: string | null;
            /** @description Charge only: the wallet account paying; null until the shopper names it */
            accountInformations?: {
                /** @description E.164, e.g. +628111111001 */
                mobileNumber: string;
                /** @description The account holder's name, when the wallet gives it */
                name: string | null;
            } | null;
        };
        /** @description Card charge object (pivot-api §6.2): never the card number or CVC */
        CardCharge: {
            first6: string;
            first8: string;
            last4: string;
            /** @description Two digits */
            expMonth: string;
            /** @description Four digits */
            expYear: string;
            /** @description The same card gives the same fingerprint at this Kasir; it does not reveal the number */
            fingerprint: string;
            binInformations: {
                type: string | null;
                issuingBank: string | null;
                brand: string;
                country: string | null;
            };
            authenticationResult: {
                threeDsVersion: string;
                /** @description Y authenticated, N not */
                threeDsResult: string;
                /** @description FRICTIONLESS or CHALLENGE */
                threeDsMethod: string;
                eciCode: string;
            } | null;
            authorizationResult: {
                acquirerReferenceNumber: string;
                retrievalReferenceNumber: string;
                stan: string;
                avsResult: string;
                cvvResult: string;
                authorizedAmount: ((never | null) | components["schemas"]["Amount"]) | null;
                issuerAuthorizationCode: string | null;
            } | null;
        };
        FdsRiskAssessment: {
            score: number;
            level: string;
            /** @description Approve or Reject */
            recommendation: string;
            /** @description PASSED or REJECTED */
            status: string;
            evaluatedAt: string;
        };
        /** @description Charge Object (pivot-api §6.2) */
        Charge: {
            id: string;
            paymentSessionId: string;
            paymentSessionClientReferenceId: string;
            amount: components["schemas"]["Amount"];
            statementDescriptor: string;
            /** @enum {string} */
            status: "WAITING_FOR_USER_ACTION" | "WAITING_FOR_AUTHENTICATION" | "PROCESSING" | "WAITING_FOR_CAPTURE" | "SUCCESS" | "FAILED" | "EXPIRED";
            authorizedAmount: ((never | null) | components["schemas"]["Amount"]) | null;
            capturedAmount: ((never | null) | components["schemas"]["Amount"]) | null;
            isCaptured: boolean;
            createdAt: string;
            updatedAt: string;
            paidAt: string | null;
            virtualAccount?: components["schemas"]["VirtualAccount"];
            qr?: components["schemas"]["Qr"];
            ewallet?: components["schemas"]["Ewallet"];
            card?: components["schemas"]["CardCharge"];
            fdsRiskAssessment?: components["schemas"]["FdsRiskAssessment"];
            failureCode?: string;
            failureMessage?: string | null;
            /** @description What to do after a failure (pivot-api §10.5) */
            recommendation?: string;
            /** @description Card charges with captureMethod manual: each capture, oldest first */
            captureHistories?: {
                captureId: string;
                currency: string;
                capturedAmount: number;
                /** @description SUCCESS */
                status: string;
                createdAt: string;
            }[];
            /** @description Kasir extension (Pivot documents no such field): the sum of SUCCESS refunds of this charge; present once one succeeded */
            refundedAmount?: components["schemas"]["Amount"];
        };
        PaymentMethod: {
            /** @enum {string} */
            type: "VIRTUAL_ACCOUNT" | "QR" | "EWALLET" | "CARD";
            virtualAccount?: components["schemas"]["VirtualAccount"];
            qr?: components["schemas"]["Qr"];
            ewallet?: components["schemas"]["Ewallet"];
            card?: components["schemas"]["CardCharge"];
        };
        /** @description Payment Session Object (pivot-api §6.1) */
        PaymentSession: {
            /** Format: uuid */
            id: string;
            clientReferenceId: string;
            amount: components["schemas"]["Amount"];
            autoConfirm: boolean;
            /** @enum {string} */
            mode: "REDIRECT" | "API";
            bypassStatusPage: boolean;
            redirectUrl: {
                successReturnUrl?: string;
                failureReturnUrl?: string;
                expirationReturnUrl?: string;
            };
            /** @enum {string} */
            paymentType: "SINGLE" | "MULTIPLE";
            paymentMethod: ((never | null) | components["schemas"]["PaymentMethod"]) | null;
            statementDescriptor: string;
            expirationMode?: string;
            recurringId?: string;
            initiateFirstAuthorization?: boolean;
            saveForFutureUse: boolean;
            showSavedPayment: boolean;
            /** @enum {string} */
            status: "REQUIRE_PAYMENT_METHOD" | "REQUIRE_CONFIRMATION" | "REQUIRE_ACTION" | "ACTIVE" | "PROCESSING" | "PAID" | "CANCELLED" | "EXPIRED" | "INACTIVE";
            investigationStatus: string | null;
            createdAt: string;
            updatedAt: string;
            expiryAt: string | null;
            /** @description Hosted payment page (REDIRECT mode); in API mode, where the shopper goes for a charge that needs them elsewhere: the 3-D Secure page of a card, the wallet of a DANA or ShopeePay charge */
            paymentUrl?: string;
            /** @description Card sessions in API mode confirmed later: base64 RSA public key (SPKI, 2048 bits), this session's own; encrypt the card with RSA-OAEP SHA-256 */
            encryptionKey?: string;
            chargeDetails: components["schemas"]["Charge"][] | null;
            customerId: string | null;
            customer: {
                [key: string]: unknown;
            } | null;
            orderInformation: {
                [key: string]: unknown;
            } | null;
            splitRoutingConfigurations?: {
                [key: string]: unknown;
            }[];
            cancelledAt: string | null;
            /** @enum {string|null} */
            cancellationReason: "REQUESTED_BY_CUSTOMER" | "DUPLICATED" | "VOID_SESSION" | "CHARGE_FAILED" | "FRAUDULENT" | null;
            metadata: {
                [key: string]: unknown;
            } | null;
        };
        StoredPaymentMethod: {
            /** @description A saved card pays with it: paymentMethod.card.token on confirm */
            token: string;
            /** @enum {string} */
            paymentMethod: "CARD" | "EWALLET";
            /** @description The card network (VISA, MASTERCARD, JCB) or the e-wallet (DANA, SHOPEEPAY, OVO) */
            paymentChannel: string;
            /** @description ACTIVE */
            status: string;
            createdAt: string;
            card?: {
                first6: string;
                last4: string;
                brand: string;
                expMonth: string;
                expYear: string;
                fingerprint: string;
            };
            ewallet?: {
                /** @enum {string} */
                channel: "DANA" | "SHOPEEPAY" | "OVO";
                accountInformations: {
                    /** @description E.164 */
                    mobileNumber: string;
                    name: string | null;
                };
                /** @description The same account gives the same fingerprint at this Kasir */
                fingerprint: string;
            };
        };
        CustomerObject: {
            id: string;
            storedPaymentMethods: components["schemas"]["StoredPaymentMethod"][];
        };
        MethodConfig: {
            enabled: boolean;
            /** @description Empty when the method is disabled */
            acceptedChannels: string[];
            minimumAmount: components["schemas"]["Amount"];
            maximumAmount: components["schemas"]["Amount"];
            /** @description e.g. "30 DAYS", "60 MINUTES" */
            maximumExpiry: string;
        };
        PaymentMethodConfigs: {
            virtualAccount: components["schemas"]["MethodConfig"];
            qr: components["schemas"]["MethodConfig"];
            ewallet: components["schemas"]["MethodConfig"];
            card: components["schemas"]["MethodConfig"];
            installment: {
                enabled: boolean;
            };
        };
        CallbackAttempt: {
            /** Format: date-time */
            attemptedAt: string;
            /** @description null when no response came (network error, timeout) */
            httpStatus: number | null;
            latencyMs: number;
            /** @description The first 200 characters of the response body */
            responseExcerpt: string | null;
            error: string | null;
        };
        /** @description A callback and its delivery history (Kasir extension) */
        Callback: {
            /** @description Also the webhook-id header, the same on every attempt */
            id: string;
            /**
             * @description What the callback's data is: a payment session, a refund, or the merchant (a PAYMENT.TEST from the dashboard)
             * @enum {string}
             */
            resourceType: "payment_session" | "refund" | "merchant";
            /** @description The id of the callback's data */
            resourceId: string;
            /** @description The session, for payment-session callbacks; null for refund callbacks */
            paymentSessionId: string | null;
            /** @enum {string} */
            event: "PAYMENT.PROCESSING" | "PAYMENT.PAID" | "CHARGE.SUCCESS" | "PAYMENT.CANCELLED" | "REFUND.PENDING" | "REFUND.WAITING_BANK_TRANFER" | "REFUND.SUCCESS" | "REFUND.FAILED" | "PAYMENT.TEST";
            /**
             * @description PENDING (due at nextAttemptAt), DELIVERING, DELIVERED (a 2xx came back) or FAILED (retries spent or refused; resend it)
             * @enum {string}
             */
            status: "PENDING" | "DELIVERING" | "DELIVERED" | "FAILED";
            /** @description Attempts in the current retry cycle (a resend starts a new one) */
            attemptCount: number;
            /** Format: date-time */
            nextAttemptAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            deliveredAt: string | null;
            /** @description The exact body sent: {"event", "data"} */
            payload: unknown;
            /** @description Every attempt, oldest first, across resends */
            attempts: components["schemas"]["CallbackAttempt"][];
        };
        /** @description Amount Object as a refund request carries it */
        RefundAmountInput: {
            /**
             * @description Whole rupiah, positive: a decimal string as Pivot writes it ("10000", or "10000.00" with a zero fraction) or a JSON integer
             * @example 10000
             */
            value: string | number;
            /**
             * @description ISO 4217 code
             * @enum {string}
             */
            currency: "IDR";
        };
        /** @description A bank account a refund can be transferred to */
        TransferDestination: {
            /** @description Payout channel code, e.g. BCA or 014 */
            channelCode: string;
            channelInformation: {
                accountNumber: string;
                accountName: string;
            };
            description?: string;
        };
        CreateRefundRequest: {
            /** @description Merchant's unique refund reference; in the sandbox its prefix picks an outcome (docs/refunds.md) */
            clientReferenceId: string;
            /** @description The paid SINGLE session to refund */
            paymentSessionId?: string;
            /** @description The SUCCESS charge to refund (required for a MULTIPLE session) */
            chargeId?: string;
            /** @description true: refund what remains (leave amount out); default false */
            isFullAmount?: boolean;
            amount?: components["schemas"]["RefundAmountInput"];
            /** @enum {string} */
            reason: "SUSPECT_FRAUDULENT" | "DUPLICATE" | "REQUESTED_BY_CUSTOMER" | "CANCELLATION" | "OTHERS";
            description?: string;
            /**
             * @description AUTO: back through the payment channel where the method can, else by bank transfer; TRANSFER_ONLY: bank transfer. Default: the customer's refundPreference.method, else AUTO
             * @enum {string}
             */
            method?: "AUTO" | "TRANSFER_ONLY";
            transferDestination?: components["schemas"]["TransferDestination"];
            metadata?: {
                [key: string]: unknown;
            };
        } & ({
            paymentSessionId: string;
        } | {
            chargeId: string;
        }) & ({
            amount: components["schemas"]["RefundAmountInput"];
        } | {
            /**
             * @description refund what remains
             * @enum {boolean}
             */
            isFullAmount: true;
        });
        /** @description Settle an open sandbox refund at once (Kasir extension) */
        RefundSimulationRequest: {
            refundId: string;
            /**
             * @description SUCCESS or FAILED, now
             * @enum {string}
             */
            status: "SUCCESS" | "FAILED";
        };
        /** @description Amount Object as Pivot's refund pages write it */
        RefundAmount: {
            /** @description Whole rupiah as a decimal string, e.g. "10000" */
            value: string;
            currency: string;
        };
        /** @description Refund Object (pivot-api §5.10) */
        Refund: {
            /** Format: uuid */
            id: string;
            clientReferenceId: string;
            paymentSessionId: string;
            chargeId: string;
            isFullAmount: boolean;
            amount: components["schemas"]["RefundAmount"];
            capturedAmount: components["schemas"]["RefundAmount"];
            /** @enum {string} */
            reason: "SUSPECT_FRAUDULENT" | "DUPLICATE" | "REQUESTED_BY_CUSTOMER" | "CANCELLATION" | "OTHERS";
            description: string | null;
            /** @enum {string} */
            method: "AUTO" | "TRANSFER_ONLY";
            transferDestination: {
                [key: string]: unknown;
            } | null;
            /** @enum {string} */
            status: "PENDING" | "WAITING_BANK_TRANSFER" | "SUCCESS" | "FAILED" | "CANCELLED";
            /**
             * @description Set at the final status: CHANNEL or ACCOUNT (bank transfer); null before
             * @enum {string|null}
             */
            destinationType: "CHANNEL" | "ACCOUNT" | null;
            /** @description Kasir extension, on FAILED refunds */
            failureCode?: string;
            /** @description Kasir extension, on FAILED refunds */
            failureMessage?: string | null;
            metadata: {
                [key: string]: unknown;
            } | null;
            createdAt: string;
            updatedAt: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    createAccessToken: {
        parameters: {
            query?: never;
            header: {
                /** @description Client id */
                "x-merchant-id": string;
                /** @description Client secret */
                "x-merchant-secret": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AccessTokenRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "accessToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJtZXJjaGFudElkIjoiZGVtbyIsImV4cCI6MTkwNDA4NjcwMH0.x1QmQ9mJ4cQn0m8eUuYv7i2b3kKq2f5yJ0wH6s9dT1E",
                     *         "expiresIn": "900",
                     *         "tokenType": "Bearer"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["AccessToken"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description The body is larger than 256 KB.
             *
             *     - `payload_too_large`: the body is larger than 256 KB
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "payload_too_large";
                    };
                };
            };
            /**
             * @description The body is not application/json.
             *
             *     - `unsupported_media_type`: the body is not `application/json`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /**
             * @description Too many requests.
             *
             *     - `frequency_above_limit`: too many requests; wait `Retry-After` seconds
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "frequency_above_limit";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    listPayments: {
        parameters: {
            query?: {
                page?: number;
                perPage?: number;
                clientReferenceId?: string;
                status?: "REQUIRE_PAYMENT_METHOD" | "REQUIRE_CONFIRMATION" | "REQUIRE_ACTION" | "ACTIVE" | "PROCESSING" | "PAID" | "CANCELLED" | "EXPIRED" | "INACTIVE";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success, one page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": [
                     *         {
                     *           "id": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *           "clientReferenceId": "1751610085",
                     *           "amount": {
                     *             "value": 10000,
                     *             "currency": "IDR"
                     *           },
                     *           "autoConfirm": true,
                     *           "mode": "REDIRECT",
                     *           "bypassStatusPage": false,
                     *           "redirectUrl": {
                     *             "successReturnUrl": "https://merchant.com/success",
                     *             "failureReturnUrl": "https://merchant.com/failure",
                     *             "expirationReturnUrl": "https://merchant.com/expiration"
                     *           },
                     *           "paymentType": "SINGLE",
                     *           "paymentMethod": {
                     *             "type": "VIRTUAL_ACCOUNT",
                     *             "virtualAccount": {
                     *               "channel": "PERMATA",
                     *               "virtualAccountNumber": "8625000018486549",
                     *               "virtualAccountName": "Reforza Pivot",
                     *               "expiryAt": "2030-12-30T23:59:00Z"
                     *             }
                     *           },
                     *           "statementDescriptor": "Reforza Pivot",
                     *           "saveForFutureUse": false,
                     *           "showSavedPayment": false,
                     *           "status": "PAID",
                     *           "investigationStatus": null,
                     *           "createdAt": "2030-12-29T06:21:25.301Z",
                     *           "updatedAt": "2030-12-29T06:24:02.118Z",
                     *           "expiryAt": "2030-12-30T23:59:00Z",
                     *           "paymentUrl": "https://kasir.example/detail?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiMDE5MzhmMmEifQ.sig",
                     *           "chargeDetails": [
                     *             {
                     *               "id": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *               "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *               "paymentSessionClientReferenceId": "1751610085",
                     *               "amount": {
                     *                 "value": 10000,
                     *                 "currency": "IDR"
                     *               },
                     *               "statementDescriptor": "Reforza Pivot",
                     *               "status": "SUCCESS",
                     *               "authorizedAmount": null,
                     *               "capturedAmount": {
                     *                 "value": 10000,
                     *                 "currency": "IDR"
                     *               },
                     *               "isCaptured": true,
                     *               "createdAt": "2030-12-29T06:21:25.301Z",
                     *               "updatedAt": "2030-12-29T06:24:02.118Z",
                     *               "paidAt": "2030-12-29T06:24:02.118Z",
                     *               "virtualAccount": {
                     *                 "channel": "PERMATA",
                     *                 "virtualAccountNumber": "8625000018486549",
                     *                 "virtualAccountName": "Reforza Pivot",
                     *                 "expiryAt": "2030-12-30T23:59:00Z"
                     *               }
                     *             }
                     *           ],
                     *           "customerId": "969805e7-c744-5a86-9cc1-2c95926f7417",
                     *           "customer": {
                     *             "givenName": "Reforza Jordan",
                     *             "surname": "Geotama",
                     *             "email": "reforza@pivot-payment.com"
                     *           },
                     *           "orderInformation": {
                     *             "productDetails": [
                     *               {
                     *                 "type": "PHYSICAL",
                     *                 "category": "FASHION",
                     *                 "name": "Dress Kasual Warna Putih",
                     *                 "quantity": 1,
                     *                 "price": {
                     *                   "value": 100000,
                     *                   "currency": "IDR"
                     *                 }
                     *               }
                     *             ]
                     *           },
                     *           "cancelledAt": null,
                     *           "cancellationReason": null,
                     *           "metadata": {
                     *             "invoiceNo": "INV001"
                     *           }
                     *         }
                     *       ],
                     *       "pagination": {
                     *         "page": 1,
                     *         "perPage": 20,
                     *         "totalItems": 1,
                     *         "totalPages": 1
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["PaymentSession"][];
                        pagination: components["schemas"]["Pagination"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    createPayment: {
        parameters: {
            query?: never;
            header: {
                /** @description Idempotency key: 16–36 letters and digits, kept 24 h. The same key with the same body replays the first answer. */
                "x-request-id": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePaymentRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *         "clientReferenceId": "1751610085",
                     *         "amount": {
                     *           "value": 10000,
                     *           "currency": "IDR"
                     *         },
                     *         "autoConfirm": true,
                     *         "mode": "REDIRECT",
                     *         "bypassStatusPage": false,
                     *         "redirectUrl": {
                     *           "successReturnUrl": "https://merchant.com/success",
                     *           "failureReturnUrl": "https://merchant.com/failure",
                     *           "expirationReturnUrl": "https://merchant.com/expiration"
                     *         },
                     *         "paymentType": "SINGLE",
                     *         "paymentMethod": {
                     *           "type": "VIRTUAL_ACCOUNT",
                     *           "virtualAccount": {
                     *             "channel": "PERMATA",
                     *             "virtualAccountNumber": "8625000018486549",
                     *             "virtualAccountName": "Reforza Pivot",
                     *             "expiryAt": "2030-12-30T23:59:00Z"
                     *           }
                     *         },
                     *         "statementDescriptor": "Reforza Pivot",
                     *         "saveForFutureUse": false,
                     *         "showSavedPayment": false,
                     *         "status": "REQUIRE_ACTION",
                     *         "investigationStatus": null,
                     *         "createdAt": "2030-12-29T06:21:25.301Z",
                     *         "updatedAt": "2030-12-29T06:21:25.301Z",
                     *         "expiryAt": "2030-12-30T23:59:00Z",
                     *         "paymentUrl": "https://kasir.example/detail?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiMDE5MzhmMmEifQ.sig",
                     *         "chargeDetails": [
                     *           {
                     *             "id": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *             "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *             "paymentSessionClientReferenceId": "1751610085",
                     *             "amount": {
                     *               "value": 10000,
                     *               "currency": "IDR"
                     *             },
                     *             "statementDescriptor": "Reforza Pivot",
                     *             "status": "WAITING_FOR_USER_ACTION",
                     *             "authorizedAmount": null,
                     *             "capturedAmount": null,
                     *             "isCaptured": false,
                     *             "createdAt": "2030-12-29T06:21:25.301Z",
                     *             "updatedAt": "2030-12-29T06:21:25.301Z",
                     *             "paidAt": null,
                     *             "virtualAccount": {
                     *               "channel": "PERMATA",
                     *               "virtualAccountNumber": "8625000018486549",
                     *               "virtualAccountName": "Reforza Pivot",
                     *               "expiryAt": "2030-12-30T23:59:00Z"
                     *             }
                     *           }
                     *         ],
                     *         "customerId": "969805e7-c744-5a86-9cc1-2c95926f7417",
                     *         "customer": {
                     *           "givenName": "Reforza Jordan",
                     *           "surname": "Geotama",
                     *           "email": "reforza@pivot-payment.com"
                     *         },
                     *         "orderInformation": {
                     *           "productDetails": [
                     *             {
                     *               "type": "PHYSICAL",
                     *               "category": "FASHION",
                     *               "name": "Dress Kasual Warna Putih",
                     *               "quantity": 1,
                     *               "price": {
                     *                 "value": 100000,
                     *                 "currency": "IDR"
                     *               }
                     *             }
                     *           ]
                     *         },
                     *         "cancelledAt": null,
                     *         "cancellationReason": null,
                     *         "metadata": {
                     *           "invoiceNo": "INV001"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["PaymentSession"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description Conflicts with an open session or an earlier request.
             *
             *     - `duplicate_error`: the `clientReferenceId` is already used by an open session or another refund
             *     - `idempotency_error`: this `X-REQUEST-ID` came before with a different body
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "duplicate_error" | "idempotency_error";
                    };
                };
            };
            /**
             * @description The body is larger than 256 KB.
             *
             *     - `payload_too_large`: the body is larger than 256 KB
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "payload_too_large";
                    };
                };
            };
            /**
             * @description The body is not application/json.
             *
             *     - `unsupported_media_type`: the body is not `application/json`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /**
             * @description Valid, but not allowed in the current state.
             *
             *     - `concurrent_update`: another request changed the same resource at the same moment; retry
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "concurrent_update";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    getPayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Payment session id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *         "clientReferenceId": "1751610085",
                     *         "amount": {
                     *           "value": 10000,
                     *           "currency": "IDR"
                     *         },
                     *         "autoConfirm": true,
                     *         "mode": "REDIRECT",
                     *         "bypassStatusPage": false,
                     *         "redirectUrl": {
                     *           "successReturnUrl": "https://merchant.com/success",
                     *           "failureReturnUrl": "https://merchant.com/failure",
                     *           "expirationReturnUrl": "https://merchant.com/expiration"
                     *         },
                     *         "paymentType": "SINGLE",
                     *         "paymentMethod": {
                     *           "type": "VIRTUAL_ACCOUNT",
                     *           "virtualAccount": {
                     *             "channel": "PERMATA",
                     *             "virtualAccountNumber": "8625000018486549",
                     *             "virtualAccountName": "Reforza Pivot",
                     *             "expiryAt": "2030-12-30T23:59:00Z"
                     *           }
                     *         },
                     *         "statementDescriptor": "Reforza Pivot",
                     *         "saveForFutureUse": false,
                     *         "showSavedPayment": false,
                     *         "status": "PAID",
                     *         "investigationStatus": null,
                     *         "createdAt": "2030-12-29T06:21:25.301Z",
                     *         "updatedAt": "2030-12-29T06:24:02.118Z",
                     *         "expiryAt": "2030-12-30T23:59:00Z",
                     *         "paymentUrl": "https://kasir.example/detail?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiMDE5MzhmMmEifQ.sig",
                     *         "chargeDetails": [
                     *           {
                     *             "id": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *             "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *             "paymentSessionClientReferenceId": "1751610085",
                     *             "amount": {
                     *               "value": 10000,
                     *               "currency": "IDR"
                     *             },
                     *             "statementDescriptor": "Reforza Pivot",
                     *             "status": "SUCCESS",
                     *             "authorizedAmount": null,
                     *             "capturedAmount": {
                     *               "value": 10000,
                     *               "currency": "IDR"
                     *             },
                     *             "isCaptured": true,
                     *             "createdAt": "2030-12-29T06:21:25.301Z",
                     *             "updatedAt": "2030-12-29T06:24:02.118Z",
                     *             "paidAt": "2030-12-29T06:24:02.118Z",
                     *             "virtualAccount": {
                     *               "channel": "PERMATA",
                     *               "virtualAccountNumber": "8625000018486549",
                     *               "virtualAccountName": "Reforza Pivot",
                     *               "expiryAt": "2030-12-30T23:59:00Z"
                     *             }
                     *           }
                     *         ],
                     *         "customerId": "969805e7-c744-5a86-9cc1-2c95926f7417",
                     *         "customer": {
                     *           "givenName": "Reforza Jordan",
                     *           "surname": "Geotama",
                     *           "email": "reforza@pivot-payment.com"
                     *         },
                     *         "orderInformation": {
                     *           "productDetails": [
                     *             {
                     *               "type": "PHYSICAL",
                     *               "category": "FASHION",
                     *               "name": "Dress Kasual Warna Putih",
                     *               "quantity": 1,
                     *               "price": {
                     *                 "value": 100000,
                     *                 "currency": "IDR"
                     *               }
                     *             }
                     *           ]
                     *         },
                     *         "cancelledAt": null,
                     *         "cancellationReason": null,
                     *         "metadata": {
                     *           "invoiceNo": "INV001"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["PaymentSession"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    confirmPayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Payment session id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfirmPaymentRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "01938f2b-1a07-7e61-8cbd-168935078c1f",
                     *         "clientReferenceId": "1751612565",
                     *         "amount": {
                     *           "value": 10000,
                     *           "currency": "IDR"
                     *         },
                     *         "autoConfirm": false,
                     *         "mode": "REDIRECT",
                     *         "bypassStatusPage": false,
                     *         "redirectUrl": {
                     *           "successReturnUrl": "https://merchant.com/success",
                     *           "failureReturnUrl": "https://merchant.com/failure",
                     *           "expirationReturnUrl": "https://merchant.com/expiration"
                     *         },
                     *         "paymentType": "SINGLE",
                     *         "paymentMethod": {
                     *           "type": "VIRTUAL_ACCOUNT",
                     *           "virtualAccount": {
                     *             "channel": "PERMATA",
                     *             "virtualAccountNumber": "8625000018486549",
                     *             "virtualAccountName": "Reforza Pivot",
                     *             "expiryAt": "2030-12-30T23:59:00Z"
                     *           }
                     *         },
                     *         "statementDescriptor": "Reforza Pivot",
                     *         "saveForFutureUse": false,
                     *         "showSavedPayment": false,
                     *         "status": "REQUIRE_ACTION",
                     *         "investigationStatus": null,
                     *         "createdAt": "2030-12-29T06:21:25.301Z",
                     *         "updatedAt": "2030-12-29T06:21:25.301Z",
                     *         "expiryAt": "2030-12-30T23:59:00Z",
                     *         "paymentUrl": "https://kasir.example/detail?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiMDE5MzhmMmEifQ.sig",
                     *         "chargeDetails": [
                     *           {
                     *             "id": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *             "paymentSessionId": "01938f2b-1a07-7e61-8cbd-168935078c1f",
                     *             "paymentSessionClientReferenceId": "1751612565",
                     *             "amount": {
                     *               "value": 10000,
                     *               "currency": "IDR"
                     *             },
                     *             "statementDescriptor": "Reforza Pivot",
                     *             "status": "WAITING_FOR_USER_ACTION",
                     *             "authorizedAmount": null,
                     *             "capturedAmount": null,
                     *             "isCaptured": false,
                     *             "createdAt": "2030-12-29T06:21:25.301Z",
                     *             "updatedAt": "2030-12-29T06:21:25.301Z",
                     *             "paidAt": null,
                     *             "virtualAccount": {
                     *               "channel": "PERMATA",
                     *               "virtualAccountNumber": "8625000018486549",
                     *               "virtualAccountName": "Reforza Pivot",
                     *               "expiryAt": "2030-12-30T23:59:00Z"
                     *             }
                     *           }
                     *         ],
                     *         "customerId": "969805e7-c744-5a86-9cc1-2c95926f7417",
                     *         "customer": {
                     *           "givenName": "Reforza Jordan",
                     *           "surname": "Geotama",
                     *           "email": "reforza@pivot-payment.com"
                     *         },
                     *         "orderInformation": null,
                     *         "cancelledAt": null,
                     *         "cancellationReason": null,
                     *         "metadata": {
                     *           "invoiceNo": "INV001"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["PaymentSession"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             *     - `card_decryption_failed`: `encryptedCard` is not a ciphertext of the session's `encryptionKey`
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error" | "card_decryption_failed";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description The body is larger than 256 KB.
             *
             *     - `payload_too_large`: the body is larger than 256 KB
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "payload_too_large";
                    };
                };
            };
            /**
             * @description The body is not application/json.
             *
             *     - `unsupported_media_type`: the body is not `application/json`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /**
             * @description Valid, but not allowed in the current state.
             *
             *     - `invalid_state`: the resource’s status does not allow this now
             *     - `payment_session_expired`: the session is past its `expiryAt`
             *     - `concurrent_update`: another request changed the same resource at the same moment; retry
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "invalid_state" | "payment_session_expired" | "concurrent_update";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    cancelPayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Payment session id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CancelPaymentRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "01938f2b-1a07-7e61-8cbd-168935078c1f",
                     *         "clientReferenceId": "1751612565",
                     *         "amount": {
                     *           "value": 10000,
                     *           "currency": "IDR"
                     *         },
                     *         "autoConfirm": false,
                     *         "mode": "REDIRECT",
                     *         "bypassStatusPage": false,
                     *         "redirectUrl": {
                     *           "successReturnUrl": "https://merchant.com/success",
                     *           "failureReturnUrl": "https://merchant.com/failure",
                     *           "expirationReturnUrl": "https://merchant.com/expiration"
                     *         },
                     *         "paymentType": "SINGLE",
                     *         "paymentMethod": null,
                     *         "statementDescriptor": "Reforza Pivot",
                     *         "saveForFutureUse": false,
                     *         "showSavedPayment": false,
                     *         "status": "CANCELLED",
                     *         "investigationStatus": null,
                     *         "createdAt": "2030-12-29T06:21:25.301Z",
                     *         "updatedAt": "2030-12-29T06:24:02.118Z",
                     *         "expiryAt": "2030-12-29T06:24:02.118Z",
                     *         "paymentUrl": "https://kasir.example/detail?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiMDE5MzhmMmEifQ.sig",
                     *         "chargeDetails": null,
                     *         "customerId": "969805e7-c744-5a86-9cc1-2c95926f7417",
                     *         "customer": {
                     *           "givenName": "Reforza Jordan",
                     *           "surname": "Geotama",
                     *           "email": "reforza@pivot-payment.com"
                     *         },
                     *         "orderInformation": null,
                     *         "cancelledAt": "2030-12-29T06:24:02.118Z",
                     *         "cancellationReason": "REQUESTED_BY_CUSTOMER",
                     *         "metadata": {
                     *           "invoiceNo": "INV001"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["PaymentSession"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description The body is larger than 256 KB.
             *
             *     - `payload_too_large`: the body is larger than 256 KB
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "payload_too_large";
                    };
                };
            };
            /**
             * @description The body is not application/json.
             *
             *     - `unsupported_media_type`: the body is not `application/json`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /**
             * @description Valid, but not allowed in the current state.
             *
             *     - `invalid_state`: the resource’s status does not allow this now
             *     - `payment_session_expired`: the session is past its `expiryAt`
             *     - `concurrent_update`: another request changed the same resource at the same moment; retry
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "invalid_state" | "payment_session_expired" | "concurrent_update";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    capturePayment: {
        parameters: {
            query?: never;
            header?: {
                /** @description Idempotency key, recommended: a retried capture with the same key and body answers the first capture instead of taking more */
                "x-request-id"?: string;
            };
            path: {
                /** @description Payment session id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CaptureRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "01938f40-2d6a-7b8c-9d0e-1f2a3b4c5d6e",
                     *         "paymentSessionId": "01938f3f-55aa-7c01-8b02-a1b2c3d4e5f6",
                     *         "paymentSessionClientReferenceId": "card-1",
                     *         "releaseRemainingAmount": false,
                     *         "amount": {
                     *           "value": 100000,
                     *           "currency": "IDR"
                     *         },
                     *         "status": "SUCCESS",
                     *         "createdAt": "2030-12-29T06:24:02.118Z",
                     *         "updatedAt": "2030-12-29T06:24:02.118Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["Capture"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description Conflicts with an open session or an earlier request.
             *
             *     - `idempotency_error`: this `X-REQUEST-ID` came before with a different body
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "idempotency_error";
                    };
                };
            };
            /**
             * @description The body is larger than 256 KB.
             *
             *     - `payload_too_large`: the body is larger than 256 KB
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "payload_too_large";
                    };
                };
            };
            /**
             * @description The body is not application/json.
             *
             *     - `unsupported_media_type`: the body is not `application/json`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /**
             * @description Valid, but not allowed in the current state.
             *
             *     - `invalid_state`: the resource’s status does not allow this now
             *     - `payment_session_expired`: the session is past its `expiryAt`
             *     - `concurrent_update`: another request changed the same resource at the same moment; retry
             *     - `capture_amount_exceeded`: more than is left of the authorization
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "invalid_state" | "payment_session_expired" | "concurrent_update" | "capture_amount_exceeded";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    getCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customerId a session's answer carries */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "969805e7-c744-5a86-9cc1-2c95926f7417",
                     *         "storedPaymentMethods": [
                     *           {
                     *             "token": "pm_01938f61a2b37c4d8e5f60718293a4b5",
                     *             "paymentMethod": "CARD",
                     *             "paymentChannel": "VISA",
                     *             "status": "ACTIVE",
                     *             "createdAt": "2030-12-29T06:24:02.118Z",
                     *             "card": {
                     *               "first6": "444000",
                     *               "last4": "0001",
                     *               "brand": "VISA",
                     *               "expMonth": "12",
                     *               "expYear": "2030",
                     *               "fingerprint": "fp_9c1e2d7a"
                     *             }
                     *           }
                     *         ]
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["CustomerObject"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    listCharges: {
        parameters: {
            query?: {
                page?: number;
                perPage?: number;
                clientReferenceId?: string;
                paymentSessionId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success, one page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": [
                     *         {
                     *           "id": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *           "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *           "paymentSessionClientReferenceId": "1751610085",
                     *           "amount": {
                     *             "value": 10000,
                     *             "currency": "IDR"
                     *           },
                     *           "statementDescriptor": "Reforza Pivot",
                     *           "status": "SUCCESS",
                     *           "authorizedAmount": null,
                     *           "capturedAmount": {
                     *             "value": 10000,
                     *             "currency": "IDR"
                     *           },
                     *           "isCaptured": true,
                     *           "createdAt": "2030-12-29T06:21:25.301Z",
                     *           "updatedAt": "2030-12-29T06:24:02.118Z",
                     *           "paidAt": "2030-12-29T06:24:02.118Z",
                     *           "virtualAccount": {
                     *             "channel": "PERMATA",
                     *             "virtualAccountNumber": "8625000018486549",
                     *             "virtualAccountName": "Reforza Pivot",
                     *             "expiryAt": "2030-12-30T23:59:00Z"
                     *           }
                     *         }
                     *       ],
                     *       "pagination": {
                     *         "page": 1,
                     *         "perPage": 20,
                     *         "totalItems": 1,
                     *         "totalPages": 1
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["Charge"][];
                        pagination: components["schemas"]["Pagination"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    getPaymentMethodConfigs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "virtualAccount": {
                     *           "enabled": true,
                     *           "acceptedChannels": [
                     *             "BCA",
                     *             "BRI",
                     *             "MANDIRI",
                     *             "BNI",
                     *             "BSI",
                     *             "CIMB",
                     *             "PERMATA",
                     *             "BNC",
                     *             "DANAMON"
                     *           ],
                     *           "minimumAmount": {
                     *             "value": 10000,
                     *             "currency": "IDR"
                     *           },
                     *           "maximumAmount": {
                     *             "value": 9999999999,
                     *             "currency": "IDR"
                     *           },
                     *           "maximumExpiry": "30 DAYS"
                     *         },
                     *         "qr": {
                     *           "enabled": true,
                     *           "acceptedChannels": [],
                     *           "minimumAmount": {
                     *             "value": 1000,
                     *             "currency": "IDR"
                     *           },
                     *           "maximumAmount": {
                     *             "value": 10000000,
                     *             "currency": "IDR"
                     *           },
                     *           "maximumExpiry": "60 MINUTES"
                     *         },
                     *         "ewallet": {
                     *           "enabled": true,
                     *           "acceptedChannels": [
                     *             "DANA",
                     *             "SHOPEEPAY",
                     *             "OVO"
                     *           ],
                     *           "minimumAmount": {
                     *             "value": 10000,
                     *             "currency": "IDR"
                     *           },
                     *           "maximumAmount": {
                     *             "value": 10000000,
                     *             "currency": "IDR"
                     *           },
                     *           "maximumExpiry": "5 DAYS"
                     *         },
                     *         "card": {
                     *           "enabled": true,
                     *           "acceptedChannels": [
                     *             "VISA",
                     *             "MASTERCARD",
                     *             "JCB"
                     *           ],
                     *           "minimumAmount": {
                     *             "value": 10000,
                     *             "currency": "IDR"
                     *           },
                     *           "maximumAmount": {
                     *             "value": 9999999999,
                     *             "currency": "IDR"
                     *           },
                     *           "maximumExpiry": "30 DAYS"
                     *         },
                     *         "installment": {
                     *           "enabled": false
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["PaymentMethodConfigs"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    simulatePayment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SimulationRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "updated": true
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["SimulationResult"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description The body is larger than 256 KB.
             *
             *     - `payload_too_large`: the body is larger than 256 KB
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "payload_too_large";
                    };
                };
            };
            /**
             * @description The body is not application/json.
             *
             *     - `unsupported_media_type`: the body is not `application/json`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /**
             * @description Valid, but not allowed in the current state.
             *
             *     - `invalid_state`: the resource’s status does not allow this now
             *     - `payment_session_expired`: the session is past its `expiryAt`
             *     - `concurrent_update`: another request changed the same resource at the same moment; retry
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "invalid_state" | "payment_session_expired" | "concurrent_update";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    listRefunds: {
        parameters: {
            query?: {
                page?: number;
                perPage?: number;
                paymentSessionId?: string;
                clientReferenceId?: string;
                status?: "PENDING" | "WAITING_BANK_TRANSFER" | "SUCCESS" | "FAILED" | "CANCELLED";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success, one page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": [
                     *         {
                     *           "id": "01938f31-0b9e-7f12-b8a3-6e2c1d0f4b58",
                     *           "clientReferenceId": "RF-INV001-1",
                     *           "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *           "chargeId": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *           "isFullAmount": false,
                     *           "amount": {
                     *             "value": "3000",
                     *             "currency": "IDR"
                     *           },
                     *           "capturedAmount": {
                     *             "value": "10000",
                     *             "currency": "IDR"
                     *           },
                     *           "reason": "REQUESTED_BY_CUSTOMER",
                     *           "description": "Barang rusak",
                     *           "method": "AUTO",
                     *           "transferDestination": {
                     *             "channelCode": "BCA",
                     *             "channelInformation": {
                     *               "accountNumber": "999966660001",
                     *               "accountName": "Reforza Jordan Geotama"
                     *             }
                     *           },
                     *           "status": "SUCCESS",
                     *           "destinationType": "ACCOUNT",
                     *           "metadata": {
                     *             "ticket": "CS-1"
                     *           },
                     *           "createdAt": "2030-12-30T02:00:00.000Z",
                     *           "updatedAt": "2030-12-30T02:00:10.000Z"
                     *         }
                     *       ],
                     *       "pagination": {
                     *         "page": 1,
                     *         "perPage": 20,
                     *         "totalItems": 1,
                     *         "totalPages": 1
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["Refund"][];
                        pagination: components["schemas"]["Pagination"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    createRefund: {
        parameters: {
            query?: never;
            header: {
                /** @description Idempotency key: 16–36 letters and digits, kept 24 h. The same key with the same body replays the first answer. */
                "x-request-id": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRefundRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "01938f31-0b9e-7f12-b8a3-6e2c1d0f4b58",
                     *         "clientReferenceId": "RF-INV001-1",
                     *         "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *         "chargeId": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *         "isFullAmount": false,
                     *         "amount": {
                     *           "value": "3000",
                     *           "currency": "IDR"
                     *         },
                     *         "capturedAmount": {
                     *           "value": "10000",
                     *           "currency": "IDR"
                     *         },
                     *         "reason": "REQUESTED_BY_CUSTOMER",
                     *         "description": "Barang rusak",
                     *         "method": "AUTO",
                     *         "transferDestination": {
                     *           "channelCode": "BCA",
                     *           "channelInformation": {
                     *             "accountNumber": "999966660001",
                     *             "accountName": "Reforza Jordan Geotama"
                     *           }
                     *         },
                     *         "status": "PENDING",
                     *         "destinationType": null,
                     *         "metadata": {
                     *           "ticket": "CS-1"
                     *         },
                     *         "createdAt": "2030-12-30T02:00:00.000Z",
                     *         "updatedAt": "2030-12-30T02:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["Refund"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description Conflicts with an open session or an earlier request.
             *
             *     - `duplicate_error`: the `clientReferenceId` is already used by an open session or another refund
             *     - `idempotency_error`: this `X-REQUEST-ID` came before with a different body
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "duplicate_error" | "idempotency_error";
                    };
                };
            };
            /**
             * @description The body is larger than 256 KB.
             *
             *     - `payload_too_large`: the body is larger than 256 KB
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "payload_too_large";
                    };
                };
            };
            /**
             * @description The body is not application/json.
             *
             *     - `unsupported_media_type`: the body is not `application/json`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /**
             * @description Valid, but not allowed in the current state.
             *
             *     - `invalid_state`: the resource’s status does not allow this now
             *     - `refund_amount_exceeded`: more than is left to refund on the charge
             *     - `concurrent_update`: another request changed the same resource at the same moment; retry
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "invalid_state" | "refund_amount_exceeded" | "concurrent_update";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    getRefund: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Refund id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "01938f31-0b9e-7f12-b8a3-6e2c1d0f4b58",
                     *         "clientReferenceId": "RF-INV001-1",
                     *         "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *         "chargeId": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *         "isFullAmount": false,
                     *         "amount": {
                     *           "value": "3000",
                     *           "currency": "IDR"
                     *         },
                     *         "capturedAmount": {
                     *           "value": "10000",
                     *           "currency": "IDR"
                     *         },
                     *         "reason": "REQUESTED_BY_CUSTOMER",
                     *         "description": "Barang rusak",
                     *         "method": "AUTO",
                     *         "transferDestination": {
                     *           "channelCode": "BCA",
                     *           "channelInformation": {
                     *             "accountNumber": "999966660001",
                     *             "accountName": "Reforza Jordan Geotama"
                     *           }
                     *         },
                     *         "status": "SUCCESS",
                     *         "destinationType": "ACCOUNT",
                     *         "metadata": {
                     *           "ticket": "CS-1"
                     *         },
                     *         "createdAt": "2030-12-30T02:00:00.000Z",
                     *         "updatedAt": "2030-12-30T02:00:10.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["Refund"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    simulateRefund: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefundSimulationRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "01938f31-0b9e-7f12-b8a3-6e2c1d0f4b58",
                     *         "clientReferenceId": "RF-INV001-1",
                     *         "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *         "chargeId": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *         "isFullAmount": false,
                     *         "amount": {
                     *           "value": "3000",
                     *           "currency": "IDR"
                     *         },
                     *         "capturedAmount": {
                     *           "value": "10000",
                     *           "currency": "IDR"
                     *         },
                     *         "reason": "REQUESTED_BY_CUSTOMER",
                     *         "description": "Barang rusak",
                     *         "method": "AUTO",
                     *         "transferDestination": {
                     *           "channelCode": "BCA",
                     *           "channelInformation": {
                     *             "accountNumber": "999966660001",
                     *             "accountName": "Reforza Jordan Geotama"
                     *           }
                     *         },
                     *         "status": "SUCCESS",
                     *         "destinationType": "ACCOUNT",
                     *         "metadata": {
                     *           "ticket": "CS-1"
                     *         },
                     *         "createdAt": "2030-12-30T02:00:00.000Z",
                     *         "updatedAt": "2030-12-30T02:00:10.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["Refund"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description The body is larger than 256 KB.
             *
             *     - `payload_too_large`: the body is larger than 256 KB
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "payload_too_large";
                    };
                };
            };
            /**
             * @description The body is not application/json.
             *
             *     - `unsupported_media_type`: the body is not `application/json`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /**
             * @description Valid, but not allowed in the current state.
             *
             *     - `invalid_state`: the resource’s status does not allow this now
             *     - `concurrent_update`: another request changed the same resource at the same moment; retry
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "invalid_state" | "concurrent_update";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    listCallbacks: {
        parameters: {
            query?: {
                page?: number;
                perPage?: number;
                paymentSessionId?: string;
                /** @description A refund's REFUND.* callbacks */
                refundId?: string;
                event?: "PAYMENT.PROCESSING" | "PAYMENT.PAID" | "CHARGE.SUCCESS" | "PAYMENT.CANCELLED" | "REFUND.PENDING" | "REFUND.WAITING_BANK_TRANFER" | "REFUND.SUCCESS" | "REFUND.FAILED" | "PAYMENT.TEST";
                status?: "PENDING" | "DELIVERING" | "DELIVERED" | "FAILED";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success, one page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": [
                     *         {
                     *           "id": "cb_01938f2a-8e51-72c1-88b8-77635237d818",
                     *           "resourceType": "payment_session",
                     *           "resourceId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *           "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *           "event": "PAYMENT.PAID",
                     *           "status": "DELIVERED",
                     *           "attemptCount": 2,
                     *           "nextAttemptAt": null,
                     *           "createdAt": "2030-12-29T06:24:02.118Z",
                     *           "deliveredAt": "2030-12-29T06:29:02.240Z",
                     *           "payload": {
                     *             "event": "PAYMENT.PAID",
                     *             "data": {
                     *               "id": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *               "clientReferenceId": "1751610085",
                     *               "amount": {
                     *                 "value": 10000,
                     *                 "currency": "IDR"
                     *               },
                     *               "autoConfirm": true,
                     *               "mode": "REDIRECT",
                     *               "bypassStatusPage": false,
                     *               "redirectUrl": {
                     *                 "successReturnUrl": "https://merchant.com/success",
                     *                 "failureReturnUrl": "https://merchant.com/failure",
                     *                 "expirationReturnUrl": "https://merchant.com/expiration"
                     *               },
                     *               "paymentType": "SINGLE",
                     *               "paymentMethod": {
                     *                 "type": "VIRTUAL_ACCOUNT",
                     *                 "virtualAccount": {
                     *                   "channel": "PERMATA",
                     *                   "virtualAccountNumber": "8625000018486549",
                     *                   "virtualAccountName": "Reforza Pivot",
                     *                   "expiryAt": "2030-12-30T23:59:00Z"
                     *                 }
                     *               },
                     *               "statementDescriptor": "Reforza Pivot",
                     *               "saveForFutureUse": false,
                     *               "showSavedPayment": false,
                     *               "status": "PAID",
                     *               "investigationStatus": null,
                     *               "createdAt": "2030-12-29T06:21:25.301Z",
                     *               "updatedAt": "2030-12-29T06:24:02.118Z",
                     *               "expiryAt": "2030-12-30T23:59:00Z",
                     *               "paymentUrl": "https://kasir.example/detail?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiMDE5MzhmMmEifQ.sig",
                     *               "chargeDetails": [
                     *                 {
                     *                   "id": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *                   "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *                   "paymentSessionClientReferenceId": "1751610085",
                     *                   "amount": {
                     *                     "value": 10000,
                     *                     "currency": "IDR"
                     *                   },
                     *                   "statementDescriptor": "Reforza Pivot",
                     *                   "status": "SUCCESS",
                     *                   "authorizedAmount": null,
                     *                   "capturedAmount": {
                     *                     "value": 10000,
                     *                     "currency": "IDR"
                     *                   },
                     *                   "isCaptured": true,
                     *                   "createdAt": "2030-12-29T06:21:25.301Z",
                     *                   "updatedAt": "2030-12-29T06:24:02.118Z",
                     *                   "paidAt": "2030-12-29T06:24:02.118Z",
                     *                   "virtualAccount": {
                     *                     "channel": "PERMATA",
                     *                     "virtualAccountNumber": "8625000018486549",
                     *                     "virtualAccountName": "Reforza Pivot",
                     *                     "expiryAt": "2030-12-30T23:59:00Z"
                     *                   }
                     *                 }
                     *               ],
                     *               "customerId": "969805e7-c744-5a86-9cc1-2c95926f7417",
                     *               "customer": {
                     *                 "givenName": "Reforza Jordan",
                     *                 "surname": "Geotama",
                     *                 "email": "reforza@pivot-payment.com"
                     *               },
                     *               "orderInformation": {
                     *                 "productDetails": [
                     *                   {
                     *                     "type": "PHYSICAL",
                     *                     "category": "FASHION",
                     *                     "name": "Dress Kasual Warna Putih",
                     *                     "quantity": 1,
                     *                     "price": {
                     *                       "value": 100000,
                     *                       "currency": "IDR"
                     *                     }
                     *                   }
                     *                 ]
                     *               },
                     *               "cancelledAt": null,
                     *               "cancellationReason": null,
                     *               "metadata": {
                     *                 "invoiceNo": "INV001"
                     *               }
                     *             }
                     *           },
                     *           "attempts": [
                     *             {
                     *               "attemptedAt": "2030-12-29T06:24:02.130Z",
                     *               "httpStatus": 503,
                     *               "latencyMs": 41,
                     *               "responseExcerpt": "upstream down",
                     *               "error": null
                     *             },
                     *             {
                     *               "attemptedAt": "2030-12-29T06:29:02.200Z",
                     *               "httpStatus": 200,
                     *               "latencyMs": 20,
                     *               "responseExcerpt": "ok",
                     *               "error": null
                     *             }
                     *           ]
                     *         }
                     *       ],
                     *       "pagination": {
                     *         "page": 1,
                     *         "perPage": 20,
                     *         "totalItems": 1,
                     *         "totalPages": 1
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["Callback"][];
                        pagination: components["schemas"]["Pagination"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    resendCallback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Callback id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": "00",
                     *       "message": "Success",
                     *       "data": {
                     *         "id": "cb_01938f2a-8e51-72c1-88b8-77635237d818",
                     *         "resourceType": "payment_session",
                     *         "resourceId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *         "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *         "event": "PAYMENT.PAID",
                     *         "status": "PENDING",
                     *         "attemptCount": 0,
                     *         "nextAttemptAt": "2030-12-31T09:00:00.000Z",
                     *         "createdAt": "2030-12-29T06:24:02.118Z",
                     *         "deliveredAt": null,
                     *         "payload": {
                     *           "event": "PAYMENT.PAID",
                     *           "data": {
                     *             "id": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *             "clientReferenceId": "1751610085",
                     *             "amount": {
                     *               "value": 10000,
                     *               "currency": "IDR"
                     *             },
                     *             "autoConfirm": true,
                     *             "mode": "REDIRECT",
                     *             "bypassStatusPage": false,
                     *             "redirectUrl": {
                     *               "successReturnUrl": "https://merchant.com/success",
                     *               "failureReturnUrl": "https://merchant.com/failure",
                     *               "expirationReturnUrl": "https://merchant.com/expiration"
                     *             },
                     *             "paymentType": "SINGLE",
                     *             "paymentMethod": {
                     *               "type": "VIRTUAL_ACCOUNT",
                     *               "virtualAccount": {
                     *                 "channel": "PERMATA",
                     *                 "virtualAccountNumber": "8625000018486549",
                     *                 "virtualAccountName": "Reforza Pivot",
                     *                 "expiryAt": "2030-12-30T23:59:00Z"
                     *               }
                     *             },
                     *             "statementDescriptor": "Reforza Pivot",
                     *             "saveForFutureUse": false,
                     *             "showSavedPayment": false,
                     *             "status": "PAID",
                     *             "investigationStatus": null,
                     *             "createdAt": "2030-12-29T06:21:25.301Z",
                     *             "updatedAt": "2030-12-29T06:24:02.118Z",
                     *             "expiryAt": "2030-12-30T23:59:00Z",
                     *             "paymentUrl": "https://kasir.example/detail?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiMDE5MzhmMmEifQ.sig",
                     *             "chargeDetails": [
                     *               {
                     *                 "id": "01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67",
                     *                 "paymentSessionId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *                 "paymentSessionClientReferenceId": "1751610085",
                     *                 "amount": {
                     *                   "value": 10000,
                     *                   "currency": "IDR"
                     *                 },
                     *                 "statementDescriptor": "Reforza Pivot",
                     *                 "status": "SUCCESS",
                     *                 "authorizedAmount": null,
                     *                 "capturedAmount": {
                     *                   "value": 10000,
                     *                   "currency": "IDR"
                     *                 },
                     *                 "isCaptured": true,
                     *                 "createdAt": "2030-12-29T06:21:25.301Z",
                     *                 "updatedAt": "2030-12-29T06:24:02.118Z",
                     *                 "paidAt": "2030-12-29T06:24:02.118Z",
                     *                 "virtualAccount": {
                     *                   "channel": "PERMATA",
                     *                   "virtualAccountNumber": "8625000018486549",
                     *                   "virtualAccountName": "Reforza Pivot",
                     *                   "expiryAt": "2030-12-30T23:59:00Z"
                     *                 }
                     *               }
                     *             ],
                     *             "customerId": "969805e7-c744-5a86-9cc1-2c95926f7417",
                     *             "customer": {
                     *               "givenName": "Reforza Jordan",
                     *               "surname": "Geotama",
                     *               "email": "reforza@pivot-payment.com"
                     *             },
                     *             "orderInformation": {
                     *               "productDetails": [
                     *                 {
                     *                   "type": "PHYSICAL",
                     *                   "category": "FASHION",
                     *                   "name": "Dress Kasual Warna Putih",
                     *                   "quantity": 1,
                     *                   "price": {
                     *                     "value": 100000,
                     *                     "currency": "IDR"
                     *                   }
                     *                 }
                     *               ]
                     *             },
                     *             "cancelledAt": null,
                     *             "cancellationReason": null,
                     *             "metadata": {
                     *               "invoiceNo": "INV001"
                     *             }
                     *           }
                     *         },
                     *         "attempts": [
                     *           {
                     *             "attemptedAt": "2030-12-29T06:24:02.130Z",
                     *             "httpStatus": 503,
                     *             "latencyMs": 41,
                     *             "responseExcerpt": "upstream down",
                     *             "error": null
                     *           },
                     *           {
                     *             "attemptedAt": "2030-12-29T06:29:02.200Z",
                     *             "httpStatus": 200,
                     *             "latencyMs": 20,
                     *             "responseExcerpt": "ok",
                     *             "error": null
                     *           }
                     *         ]
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        code: "00";
                        message: string;
                        data: components["schemas"]["Callback"];
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description No such resource for this merchant.
             *
             *     - `resource_missing`: no such id among this merchant’s resources
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "resource_missing";
                    };
                };
            };
            /**
             * @description The body is larger than 256 KB.
             *
             *     - `payload_too_large`: the body is larger than 256 KB
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "payload_too_large";
                    };
                };
            };
            /**
             * @description The body is not application/json.
             *
             *     - `unsupported_media_type`: the body is not `application/json`
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "unsupported_media_type";
                    };
                };
            };
            /**
             * @description Valid, but not allowed in the current state.
             *
             *     - `invalid_state`: the resource’s status does not allow this now
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "invalid_state";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Only these events, comma-separated (any of PAYMENT.PROCESSING, PAYMENT.PAID, CHARGE.SUCCESS, PAYMENT.CANCELLED, REFUND.PENDING, REFUND.WAITING_BANK_TRANFER, REFUND.SUCCESS, REFUND.FAILED, PAYMENT.TEST); all of them when left out */
                events?: string;
                /** @description Resume after this callback id (a message id the stream sent); the Last-Event-ID header wins when both are given. Without either, the stream starts with the callbacks written from now on */
                after?: string;
            };
            header?: {
                /** @description Sent by an EventSource when it reconnects: resume after it */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stream; it stays open until the client or the server ends it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "cb_01938f2a-8e51-72c1-88b8-77635237d818",
                     *       "event": "PAYMENT.PAID",
                     *       "resourceType": "payment_session",
                     *       "resourceId": "01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90",
                     *       "createdAt": "2030-12-29T06:24:02.118Z",
                     *       "body": "{\"event\":\"PAYMENT.PAID\",\"data\":{\"id\":\"01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90\",\"clientReferenceId\":\"1751610085\",\"amount\":{\"value\":10000,\"currency\":\"IDR\"},\"autoConfirm\":true,\"mode\":\"REDIRECT\",\"bypassStatusPage\":false,\"redirectUrl\":{\"successReturnUrl\":\"https://merchant.com/success\",\"failureReturnUrl\":\"https://merchant.com/failure\",\"expirationReturnUrl\":\"https://merchant.com/expiration\"},\"paymentType\":\"SINGLE\",\"paymentMethod\":{\"type\":\"VIRTUAL_ACCOUNT\",\"virtualAccount\":{\"channel\":\"PERMATA\",\"virtualAccountNumber\":\"8625000018486549\",\"virtualAccountName\":\"Reforza Pivot\",\"expiryAt\":\"2030-12-30T23:59:00Z\"}},\"statementDescriptor\":\"Reforza Pivot\",\"saveForFutureUse\":false,\"showSavedPayment\":false,\"status\":\"PAID\",\"investigationStatus\":null,\"createdAt\":\"2030-12-29T06:21:25.301Z\",\"updatedAt\":\"2030-12-29T06:24:02.118Z\",\"expiryAt\":\"2030-12-30T23:59:00Z\",\"paymentUrl\":\"https://kasir.example/detail?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiMDE5MzhmMmEifQ.sig\",\"chargeDetails\":[{\"id\":\"01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67\",\"paymentSessionId\":\"01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90\",\"paymentSessionClientReferenceId\":\"1751610085\",\"amount\":{\"value\":10000,\"currency\":\"IDR\"},\"statementDescriptor\":\"Reforza Pivot\",\"status\":\"SUCCESS\",\"authorizedAmount\":null,\"capturedAmount\":{\"value\":10000,\"currency\":\"IDR\"},\"isCaptured\":true,\"createdAt\":\"2030-12-29T06:21:25.301Z\",\"updatedAt\":\"2030-12-29T06:24:02.118Z\",\"paidAt\":\"2030-12-29T06:24:02.118Z\",\"virtualAccount\":{\"channel\":\"PERMATA\",\"virtualAccountNumber\":\"8625000018486549\",\"virtualAccountName\":\"Reforza Pivot\",\"expiryAt\":\"2030-12-30T23:59:00Z\"}}],\"customerId\":\"969805e7-c744-5a86-9cc1-2c95926f7417\",\"customer\":{\"givenName\":\"Reforza Jordan\",\"surname\":\"Geotama\",\"email\":\"reforza@pivot-payment.com\"},\"orderInformation\":{\"productDetails\":[{\"type\":\"PHYSICAL\",\"category\":\"FASHION\",\"name\":\"Dress Kasual Warna Putih\",\"quantity\":1,\"price\":{\"value\":100000,\"currency\":\"IDR\"}}]},\"cancelledAt\":null,\"cancellationReason\":null,\"metadata\":{\"invoiceNo\":\"INV001\"}}}",
                     *       "headers": {
                     *         "content-type": "application/json",
                     *         "user-agent": "Kasir-Callbacks/0.1",
                     *         "x-api-key": "cbk_4f1d2c9e0b7a",
                     *         "webhook-id": "cb_01938f2a-8e51-72c1-88b8-77635237d818",
                     *         "webhook-timestamp": "1924842242",
                     *         "webhook-signature": "v1,3s1xLZqXb0yJ0mEo8cZxS9n0b6rW2wq9dQb1p7sJk0Q="
                     *       }
                     *     }
                     */
                    "text/event-stream": {
                        /** @description The callback's id: the message's SSE id and the webhook-id header */
                        id: string;
                        /** @enum {string} */
                        event: "PAYMENT.PROCESSING" | "PAYMENT.PAID" | "CHARGE.SUCCESS" | "PAYMENT.CANCELLED" | "REFUND.PENDING" | "REFUND.WAITING_BANK_TRANFER" | "REFUND.SUCCESS" | "REFUND.FAILED" | "PAYMENT.TEST";
                        /** @enum {string} */
                        resourceType: "payment_session" | "refund" | "merchant";
                        resourceId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description The exact body Kasir POSTs to the callback URL, as text: forward it unchanged */
                        body: string;
                        /** @description The headers Kasir would send with it now: Content-Type, User-Agent, X-API-Key and the Standard Webhooks headers signed with the merchant's current webhook secret (both secrets during a rotation's overlap) */
                        headers: {
                            [key: string]: string;
                        };
                    };
                };
            };
            /**
             * @description The request is invalid (one details entry per bad field).
             *
             *     - `api_validation_error`: a field, header or query parameter is missing or wrong; `error.details` names each
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "api_validation_error";
                    };
                };
            };
            /**
             * @description Missing, wrong or expired credentials.
             *
             *     - `credentials_invalid`: the bearer token (or the client id and secret) is missing, wrong or expired
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "credentials_invalid";
                    };
                };
            };
            /**
             * @description Too many requests.
             *
             *     - `frequency_above_limit`: too many requests; wait `Retry-After` seconds
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "frequency_above_limit";
                    };
                };
            };
            /**
             * @description The database is unreachable or not answering in time; retry after Retry-After seconds.
             *
             *     - `service_unavailable`: the database is not answering; retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"] & {
                        /** @enum {string} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
}

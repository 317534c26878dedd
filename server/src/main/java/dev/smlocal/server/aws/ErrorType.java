package dev.smlocal.server.aws;

/**
 * Every error shape smlocal can put on the wire: the {@code __type}, the HTTP status and whether
 * the sender is at fault. Checked against AWS's service models by {@code ErrorTypeModelTest}.
 */
public enum ErrorType {
    // Secrets Manager, modeled in secretsmanager-service-2.json
    DECRYPTION_FAILURE(Service.SECRETS_MANAGER, "DecryptionFailure", 400),
    ENCRYPTION_FAILURE(Service.SECRETS_MANAGER, "EncryptionFailure", 400),
    INTERNAL_SERVICE_ERROR(Service.SECRETS_MANAGER, "InternalServiceError", 500),
    INVALID_NEXT_TOKEN(Service.SECRETS_MANAGER, "InvalidNextTokenException", 400),
    INVALID_PARAMETER(Service.SECRETS_MANAGER, "InvalidParameterException", 400),
    INVALID_REQUEST(Service.SECRETS_MANAGER, "InvalidRequestException", 400),
    LIMIT_EXCEEDED(Service.SECRETS_MANAGER, "LimitExceededException", 400),
    MALFORMED_POLICY_DOCUMENT(Service.SECRETS_MANAGER, "MalformedPolicyDocumentException", 400),
    PRECONDITION_NOT_MET(Service.SECRETS_MANAGER, "PreconditionNotMetException", 400),
    PUBLIC_POLICY(Service.SECRETS_MANAGER, "PublicPolicyException", 400),
    RESOURCE_EXISTS(Service.SECRETS_MANAGER, "ResourceExistsException", 400),
    RESOURCE_NOT_FOUND(Service.SECRETS_MANAGER, "ResourceNotFoundException", 400),

    // KMS, modeled in kms-service-2.json
    KMS_ALREADY_EXISTS(Service.KMS, "AlreadyExistsException", 400),
    KMS_DISABLED(Service.KMS, "DisabledException", 400),
    KMS_INVALID_ALIAS_NAME(Service.KMS, "InvalidAliasNameException", 400),
    KMS_INVALID_ARN(Service.KMS, "InvalidArnException", 400),
    KMS_INVALID_CIPHERTEXT(Service.KMS, "InvalidCiphertextException", 400),
    KMS_INVALID_KEY_USAGE(Service.KMS, "InvalidKeyUsageException", 400),
    KMS_INVALID_MARKER(Service.KMS, "InvalidMarkerException", 400),
    KMS_INVALID_STATE(Service.KMS, "KMSInvalidStateException", 400),
    KMS_INCORRECT_KEY(Service.KMS, "IncorrectKeyException", 400),
    KMS_MALFORMED_POLICY_DOCUMENT(Service.KMS, "MalformedPolicyDocumentException", 400),
    KMS_INTERNAL(Service.KMS, "KMSInternalException", 500),
    KMS_NOT_FOUND(Service.KMS, "NotFoundException", 400),
    KMS_UNSUPPORTED_OPERATION(Service.KMS, "UnsupportedOperationException", 400),

    // Framework errors every awsJson service answers with; not in the models
    VALIDATION(Service.COMMON, "ValidationException", 400),
    SERIALIZATION(Service.COMMON, "SerializationException", 400),
    UNKNOWN_OPERATION(Service.COMMON, "UnknownOperationException", 400),
    ACCESS_DENIED(Service.COMMON, "AccessDeniedException", 400),
    UNRECOGNIZED_CLIENT(Service.COMMON, "UnrecognizedClientException", 400),
    INVALID_SIGNATURE(Service.COMMON, "InvalidSignatureException", 400),
    INCOMPLETE_SIGNATURE(Service.COMMON, "IncompleteSignatureException", 400),
    MISSING_AUTHENTICATION_TOKEN(Service.COMMON, "MissingAuthenticationTokenException", 400),
    THROTTLING(Service.COMMON, "ThrottlingException", 400),
    SERVICE_UNAVAILABLE(Service.COMMON, "ServiceUnavailableException", 503),
    REQUEST_ENTITY_TOO_LARGE(Service.COMMON, "RequestEntityTooLargeException", 413),
    // HTTP requests the transport cannot parse (smlocal's names: AWS's front end answers these itself)
    HEADERS_TOO_LARGE(Service.COMMON, "RequestHeaderFieldsTooLargeException", 431),
    REQUEST_LINE_TOO_LONG(Service.COMMON, "RequestUriTooLongException", 414),
    MALFORMED_REQUEST(Service.COMMON, "MalformedHttpRequestException", 400),
    EXPECTATION_FAILED(Service.COMMON, "ExpectationFailedException", 417);

    /** Which published model names the shape. */
    public enum Service { SECRETS_MANAGER, KMS, COMMON }

    private final Service service;
    private final String code;
    private final int httpStatus;

    ErrorType(Service service, String code, int httpStatus) {
        this.service = service;
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public Service service() { return service; }

    /** The {@code __type} on the wire. */
    public String code() { return code; }

    public int httpStatus() { return httpStatus; }

    public boolean senderFault() { return httpStatus < 500; }

    /** The constant whose {@code __type} is {@code code}, or null. */
    public static ErrorType fromCode(String code) {
        for (ErrorType t : values()) if (t.code.equals(code)) return t;
        return null;
    }
}

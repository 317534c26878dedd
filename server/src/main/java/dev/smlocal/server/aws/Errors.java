package dev.smlocal.server.aws;

import java.util.List;

/**
 * Named factories for every error message smlocal sends. Each AWS text is written here once; the
 * texts follow {@code docs/AWS-BEHAVIOUR.md}. No message ever carries a secret
 * value.
 */
public final class Errors {
    private Errors() {}

    private static AwsException of(ErrorType type, String message) {
        return new AwsException(type, message);
    }

    // ---- framework -----------------------------------------------------------------------------

    public static AwsException unknownOperation(String target) {
        return of(ErrorType.UNKNOWN_OPERATION, "Operation " + target + " is not supported by this service.");
    }

    public static AwsException missingTarget() {
        return of(ErrorType.UNKNOWN_OPERATION, "Missing X-Amz-Target header.");
    }

    /** A request with a target sent to a path other than {@code /}; {@code path} is cut to 200 characters. */
    public static AwsException wrongPath(String method, String path) {
        String shown = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        return of(ErrorType.UNKNOWN_OPERATION, "smlocal serves the AWS JSON API at POST /, not at " + method + " " + shown
                + ". Point the endpoint URL at the server root (for example http://127.0.0.1:4599).");
    }

    public static AwsException headersTooLarge(int limit) {
        return of(ErrorType.HEADERS_TOO_LARGE, "The request headers exceed " + limit + " bytes.");
    }

    public static AwsException requestLineTooLong(int limit) {
        return of(ErrorType.REQUEST_LINE_TOO_LONG, "The request line exceeds " + limit + " bytes.");
    }

    public static AwsException malformedRequest() {
        return of(ErrorType.MALFORMED_REQUEST, "The request is not a valid HTTP request.");
    }

    /** An {@code Expect} header other than {@code 100-continue} (RFC 9110: 417); the value is cut to 100 characters. */
    public static AwsException expectationFailed(String expect) {
        String shown = expect.length() > 100 ? expect.substring(0, 100) + "..." : expect;
        return of(ErrorType.EXPECTATION_FAILED, "The expectation '" + shown + "' cannot be met; only 100-continue is supported.");
    }

    /** A body that is not JSON (the dispatcher's parse, or a form body the transport cannot read). */
    public static AwsException bodyNotJson() {
        return serialization("The request body is not valid JSON.");
    }

    public static AwsException serialization(String detail) {
        return of(ErrorType.SERIALIZATION, detail);
    }

    /** The request body parsed, but is not a JSON object. */
    public static AwsException requestNotAnObject() {
        return of(ErrorType.SERIALIZATION, "Request body must be a JSON object.");
    }

    /** A member's JSON type does not fit its modeled shape; {@code expected} is the shape type. */
    public static AwsException unexpectedJsonType(String member, String expected) {
        return of(ErrorType.SERIALIZATION, "Unexpected JSON type for member '" + member + "': expected " + expected);
    }

    /** A number member that is not representable in its modeled type ({@code integer}, {@code long}). */
    public static AwsException numberOutOfRange(String member, String expected) {
        return of(ErrorType.SERIALIZATION, "Number out of range for member '" + member + "': expected " + expected);
    }

    /** A blob member whose string is not valid base64. */
    public static AwsException invalidBase64(String member) {
        return of(ErrorType.SERIALIZATION, "Invalid base64 encoding for member '" + member + "'");
    }

    // ---- validation sentences (joined by validation(List)) ------------------------------------

    /**
     * One constraint sentence of a ValidationException, AWS style: the value is quoted, or the
     * bare word {@code null} when the member is absent.
     */
    public static String violation(String value, String path, String constraint) {
        return "Value " + (value == null ? "null" : "'" + value + "'") + " at '" + path
                + "' failed to satisfy constraint: " + constraint;
    }

    /** The same sentence for a sensitive member: the value is never printed, not even null. */
    public static String sensitiveViolation(String path, String constraint) {
        return "Value at '" + path + "' failed to satisfy constraint: " + constraint;
    }

    public static String mustNotBeNull() {
        return "Member must not be null";
    }

    public static String minLength(long min) {
        return "Member must have length greater than or equal to " + min;
    }

    public static String maxLength(long max) {
        return "Member must have length less than or equal to " + max;
    }

    public static String minValue(String min) {
        return "Member must have value greater than or equal to " + min;
    }

    public static String maxValue(String max) {
        return "Member must have value less than or equal to " + max;
    }

    public static String pattern(String pattern) {
        return "Member must satisfy regular expression pattern: " + pattern;
    }

    public static String enumValueSet(List<String> values) {
        return "Member must satisfy enum value set: [" + String.join(", ", values) + "]";
    }

    /** A list member's constraints, reported once for the whole list. */
    public static String memberConstraints(List<String> constraints) {
        return "Member must satisfy constraint: [" + String.join(", ", constraints) + "]";
    }

    public static String mapKeyConstraints(List<String> constraints) {
        return "Map keys must satisfy constraint: [" + String.join(", ", constraints) + "]";
    }

    public static String mapValueConstraints(List<String> constraints) {
        return "Map value must satisfy constraint: [" + String.join(", ", constraints) + "]";
    }

    public static AwsException requestTooLarge(long limit) {
        return of(ErrorType.REQUEST_ENTITY_TOO_LARGE, "Request size exceeded " + limit + " bytes.");
    }

    /** {@code errors} are already formatted constraint sentences. */
    public static AwsException validation(List<String> errors) {
        String head = errors.size() == 1 ? "1 validation error detected: " : errors.size() + " validation errors detected: ";
        return of(ErrorType.VALIDATION, head + String.join("; ", errors));
    }

    public static AwsException invalidName() {
        return of(ErrorType.VALIDATION,
                "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
    }

    public static AwsException regionNotEnabled() {
        return of(ErrorType.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }

    // ---- the perimeter and signatures (docs/SECURITY.md) ------------------------------------------

    /** A {@code Host} this emulator does not answer to (DNS rebinding); sent with HTTP 421. */
    public static AwsException foreignHost(String host) {
        return of(ErrorType.ACCESS_DENIED, "smlocal does not answer to Host '" + host + "': it serves IP literals, "
                + "localhost, *.localhost and single-label names, and the names in --allowed-hosts.");
    }

    /** A browser {@code Origin} that is neither loopback nor allowed; sent with HTTP 403. */
    public static AwsException foreignOrigin(String origin) {
        return of(ErrorType.ACCESS_DENIED, "smlocal refuses requests from Origin '" + origin
                + "': only loopback origins and the origins in --allowed-origins may call it.");
    }

    /** An admin route without the admin token; sent with HTTP 401. */
    public static AwsException adminTokenMissing() {
        return of(ErrorType.ACCESS_DENIED, "this smlocal needs its admin token: send Authorization: Bearer <token> "
                + "(the value of --admin-token / SMLOCAL_ADMIN_TOKEN).");
    }

    /** An admin write that is not JSON; sent with HTTP 415. */
    public static AwsException adminNeedsJson() {
        return of(ErrorType.VALIDATION, "admin writes need Content-Type: application/json.");
    }

    /** An access key id the signature lookup does not know [V: AWS answers this text with HTTP 400]. */
    public static AwsException unknownAccessKey() {
        return of(ErrorType.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }

    /**
     * A signature that does not match [V]; like AWS, the message goes on with the canonical request
     * and the string to sign the server computed.
     */
    public static AwsException signatureMismatch(String canonicalRequest, String stringToSign) {
        return of(ErrorType.INVALID_SIGNATURE, "The request signature we calculated does not match the signature you "
                + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation "
                + "for details.\n\nThe Canonical String for this request should have been\n'" + canonicalRequest
                + "'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n");
    }

    /** A credential scope dated another day than the request [U]. */
    public static AwsException signatureMismatchScope(String scopeDate, String amzDate) {
        return of(ErrorType.INVALID_SIGNATURE, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                + "of date from HTTP: '" + scopeDate + "' != '" + amzDate.substring(0, Math.min(8, amzDate.length()))
                + "', from '" + amzDate + "'.");
    }

    /** Signed more than 5 minutes before the emulator clock [V]; times are {@code yyyyMMdd'T'HHmmss'Z'}. */
    public static AwsException signatureExpired(String signedAt, String earliest, String now) {
        return of(ErrorType.INVALID_SIGNATURE, "Signature expired: " + signedAt + " is now earlier than " + earliest
                + " (" + now + " - 5 min.)");
    }

    /** Signed more than 5 minutes after the emulator clock [V]. */
    public static AwsException signatureNotYetCurrent(String signedAt, String latest, String now) {
        return of(ErrorType.INVALID_SIGNATURE, "Signature not yet current: " + signedAt + " is still later than "
                + latest + " (" + now + " + 5 min.)");
    }

    /** A presigned request past its {@code X-Amz-Expires} [U]. */
    public static AwsException presignedExpired(String signedAt, String expiredAt, String now) {
        return of(ErrorType.INVALID_SIGNATURE, "Signature expired: " + signedAt + " is now earlier than " + expiredAt
                + " (" + now + " - X-Amz-Expires.)");
    }

    /** No signature at all while signatures are verified [U]. */
    public static AwsException missingAuthentication() {
        return of(ErrorType.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
    }

    /** A signature whose parts cannot be read [U]. */
    public static AwsException incompleteSignature(String detail) {
        return of(ErrorType.INCOMPLETE_SIGNATURE, detail);
    }

    public static AwsException internal() {
        return of(ErrorType.INTERNAL_SERVICE_ERROR, "An internal error occurred. Please try again later.");
    }

    public static AwsException throttling() {
        return of(ErrorType.THROTTLING, "Rate exceeded");
    }

    /** An error injected by a fault rule: the named AWS type (default InternalServiceError). */
    public static AwsException injected(String errorType, String message, String faultId) {
        ErrorType type = errorType == null ? ErrorType.INTERNAL_SERVICE_ERROR : ErrorType.fromCode(errorType);
        if (type == null) type = ErrorType.INTERNAL_SERVICE_ERROR;
        return of(type, message != null ? message : "Injected by smlocal fault " + faultId + ".");
    }

    public static AwsException serviceUnavailable() {
        return of(ErrorType.SERVICE_UNAVAILABLE, "Service Unavailable");
    }

    // ---- lookup --------------------------------------------------------------------------------

    public static AwsException secretNotFound() {
        return of(ErrorType.RESOURCE_NOT_FOUND, "Secrets Manager can't find the specified secret.");
    }

    public static AwsException valueNotFoundForStage(String stage) {
        return of(ErrorType.RESOURCE_NOT_FOUND,
                "Secrets Manager can't find the specified secret value for staging label: " + stage);
    }

    public static AwsException valueNotFoundForVersion(String versionId) {
        return of(ErrorType.RESOURCE_NOT_FOUND,
                "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
    }

    public static AwsException stageNotOnVersion() {
        return of(ErrorType.INVALID_REQUEST,
                "You provided a VersionStage that is not associated to the provided VersionId.");
    }

    // ---- state ---------------------------------------------------------------------------------

    public static AwsException markedForDeletion() {
        return of(ErrorType.INVALID_REQUEST,
                "You can't perform this operation on the secret because it was marked for deletion.");
    }

    public static AwsException alreadyMarkedForDeletion() {
        return of(ErrorType.INVALID_REQUEST,
                "You tried to perform the operation on a secret that's currently marked deleted.");
    }

    public static AwsException nameScheduledForDeletion() {
        return of(ErrorType.INVALID_REQUEST,
                "You can't create this secret because a secret with this name is already scheduled for deletion.");
    }

    public static AwsException secretExists(String name) {
        return of(ErrorType.RESOURCE_EXISTS, "The operation failed because the secret " + name + " already exists.");
    }

    public static AwsException missingClientRequestToken(ErrorType type) {
        return of(type, "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
    }

    public static AwsException tokenInUse(String token, String arn) {
        return of(ErrorType.RESOURCE_EXISTS, "You can't use ClientRequestToken " + token
                + " because that value is already in use for a version of secret " + arn + ".");
    }

    public static AwsException bothValues() {
        return of(ErrorType.INVALID_PARAMETER,
                "You can't specify both a binary secret value and a string secret value in the same secret.");
    }

    public static AwsException noValue() {
        return of(ErrorType.INVALID_REQUEST, "You must provide either SecretString or SecretBinary.");
    }

    public static AwsException tooManyLabels() {
        return of(ErrorType.LIMIT_EXCEEDED,
                "The secret can have at most 20 staging labels attached to its versions.");
    }

    // ---- stages --------------------------------------------------------------------------------

    public static AwsException removeFromVersionRequired(String stage, String holder) {
        return of(ErrorType.INVALID_PARAMETER, "The parameter RemoveFromVersionId can't be empty. Staging label "
                + stage + " is currently attached to version " + holder
                + ", so you must explicitly reference that version in RemoveFromVersionId.");
    }

    public static AwsException notAValidVersion(String versionId) {
        return of(ErrorType.INVALID_PARAMETER, "Not a valid version: " + versionId);
    }

    public static AwsException stageNotFoundInVersion(String stage, String versionId) {
        return of(ErrorType.INVALID_PARAMETER, "Version stage " + stage + " not found in version " + versionId);
    }

    public static AwsException cannotDetachCurrent() {
        return of(ErrorType.INVALID_PARAMETER, "You can't remove the staging label AWSCURRENT from a version "
                + "without moving it to another version with MoveToVersionId.");
    }

    public static AwsException moveOrRemoveRequired() {
        return of(ErrorType.INVALID_PARAMETER,
                "You must specify either MoveToVersionId or RemoveFromVersionId.");
    }

    // ---- deletion ------------------------------------------------------------------------------

    public static AwsException forceWithWindow() {
        return of(ErrorType.INVALID_PARAMETER,
                "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }

    public static AwsException recoveryWindowRange() {
        return of(ErrorType.INVALID_PARAMETER,
                "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }

    public static AwsException deleteWithReplicas(String arn, List<String> regions) {
        return of(ErrorType.INVALID_PARAMETER, "You can't delete secret " + arn
                + " that still has replica regions [" + String.join(", ", regions) + "].");
    }

    // ---- replication ---------------------------------------------------------------------------

    public static AwsException replicaWrite() {
        return of(ErrorType.INVALID_PARAMETER,
                "Operation not permitted on a replica secret. Call must be made in primary secret's region.");
    }

    public static AwsException invalidReplicaRegion() {
        return of(ErrorType.INVALID_PARAMETER, "Invalid replica region.");
    }

    public static AwsException notAReplica() {
        return of(ErrorType.INVALID_REQUEST,
                "StopReplicationToReplica can only be called on a replica secret in the replica's region.");
    }

    public static AwsException replicaRegionExists(String region) {
        return of(ErrorType.INVALID_PARAMETER, "The secret is already replicated to the region " + region + ".");
    }

    public static AwsException replicationNotImplemented(String operation) {
        return of(ErrorType.INVALID_REQUEST, operation
                + " is not available in this smlocal build: multi-Region replication is not yet supported.");
    }

    // ---- rotation ------------------------------------------------------------------------------

    public static AwsException noRotationLambda() {
        return of(ErrorType.INVALID_REQUEST, "No Lambda rotation function ARN is associated with this secret.");
    }

    public static AwsException cannotInvokeLambda() {
        return of(ErrorType.ACCESS_DENIED, "Secrets Manager cannot invoke the specified Lambda function. "
                + "Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.");
    }

    public static AwsException previousRotationIncomplete() {
        return of(ErrorType.INVALID_REQUEST, "A previous rotation isn't complete. That rotation will be reattempted.");
    }

    /** The table's answer while no rotator is plugged in (Operations#addRotation replaces it). */
    /** [V] quoted from real AWS in terraform-provider-aws#33329. */
    public static AwsException rotationFrequencyAndSchedule() {
        return of(ErrorType.INVALID_PARAMETER,
                "You cannot specify both rotation frequency and schedule expression together.");
    }

    /** [E] moto's text; raw requests meet the model's 1..1000 ValidationException first. */
    public static AwsException automaticallyAfterDaysRange() {
        return of(ErrorType.INVALID_PARAMETER, "RotationRules.AutomaticallyAfterDays must be within 1-1000.");
    }

    /** [U] smlocal's text: a rate() or cron() expression Secrets Manager does not accept, and why. */
    public static AwsException invalidScheduleExpression(String expression, String reason) {
        return of(ErrorType.INVALID_PARAMETER,
                "The schedule expression " + expression + " is not valid: " + reason + ".");
    }

    /** [U] smlocal's text: a Duration that is malformed or overlaps the next window or UTC day. */
    public static AwsException invalidRotationWindow(String duration, String reason) {
        return of(ErrorType.INVALID_PARAMETER,
                "The rotation window duration " + duration + " is not valid: " + reason + ".");
    }

    /** [U] smlocal's text: RotationRules with a Duration but neither AutomaticallyAfterDays nor ScheduleExpression. */
    public static AwsException rotationScheduleRequired() {
        return of(ErrorType.INVALID_PARAMETER,
                "RotationRules must contain either AutomaticallyAfterDays or ScheduleExpression.");
    }

    /** [U] CancelRotateSecret on a secret whose rotation was never configured. */
    public static AwsException rotationNotConfigured() {
        return of(ErrorType.INVALID_REQUEST, "Rotation isn't configured for this secret.");
    }

    // ---- pagination, passwords, policies --------------------------------------------------------

    public static AwsException invalidNextToken() {
        return of(ErrorType.INVALID_NEXT_TOKEN, "The NextToken value is invalid.");
    }

    public static AwsException passwordTooShort() {
        return of(ErrorType.INVALID_PARAMETER, "Password length is too short based on the required types.");
    }

    public static AwsException passwordNoCharacters() {
        return of(ErrorType.INVALID_PARAMETER,
                "The password cannot be generated because all character types are excluded.");
    }

    public static AwsException batchIdsOrFilters() {
        return of(ErrorType.INVALID_PARAMETER, "Either 'SecretIdList' or 'Filters' must be provided, but not both.");
    }

    public static AwsException batchMaxResultsNeedsFilters() {
        return of(ErrorType.INVALID_PARAMETER,
                "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
    }

    public static AwsException malformedPolicy(String detail) {
        return of(ErrorType.MALFORMED_POLICY_DOCUMENT, detail);
    }

    /** Invalid JSON or policy grammar; text quoted from real AWS (an unsupported {@code Version}). */
    public static AwsException policyInvalidSyntax() {
        return malformedPolicy("This policy has invalid syntax.");
    }

    /** A principal AWS cannot resolve; Terraform retries on this text. */
    public static AwsException policyUnsupportedPrincipal() {
        return malformedPolicy("This resource policy contains an unsupported principal.");
    }

    /** ValidateResourcePolicy's entry for a public policy; the wording is unverified [U]. */
    public static String publicAccessCheckText() {
        return "The resource policy grants public access to the secret.";
    }

    /** A ListSecrets / BatchGetSecretValue filter without {@code Key} (moto text [E]). */
    public static AwsException invalidFilterKey() {
        return of(ErrorType.INVALID_PARAMETER, "Invalid filter key");
    }

    /** A filter without {@code Values} (moto text [E]). */
    public static AwsException invalidFilterValues(String key) {
        return of(ErrorType.INVALID_PARAMETER, "Invalid filter values for key: " + key);
    }

    public static AwsException publicPolicy() {
        return of(ErrorType.PUBLIC_POLICY, "This resource policy grants public access to the secret. "
                + "You can't attach a policy that grants public access when BlockPublicPolicy is set.");
    }

    /**
     * A refused call, in AWS's shape: {@code User: ARN is not authorized to perform: ACTION on
     * resource: RESOURCE REASON} (reason: {@code because no resource-based policy allows the ACTION action},
     * {@code with an explicit deny in a resource-based policy}, ...). [V] public error reports.
     */
    public static AwsException accessDenied(String principalArn, String action, String resource, String reason) {
        return of(ErrorType.ACCESS_DENIED, "User: " + principalArn + " is not authorized to perform: " + action
                + " on resource: " + resource + " " + reason);
    }

    /** Secrets Manager's answer when the key policy does not let the caller use the secret's key. [V] */
    public static AwsException kmsAccessNotAllowed() {
        return of(ErrorType.ACCESS_DENIED, "Access to KMS is not allowed");
    }

    /** A condition operator or key the emulator cannot evaluate (smlocal's own wording). */
    public static AwsException policyUnsupportedCondition(String detail) {
        return malformedPolicy(detail);
    }

    /** A key policy name other than {@code default}. [U] wording */
    public static AwsException kmsPolicyNotFound(String name) {
        return of(ErrorType.KMS_NOT_FOUND, "No such policy exists: " + name);
    }

    /** A key policy that cannot be compiled (KMS's MalformedPolicyDocumentException; wording smlocal's own). */
    public static AwsException kmsMalformedPolicy(String detail) {
        return of(ErrorType.KMS_MALFORMED_POLICY_DOCUMENT, "The policy is not valid: " + detail);
    }

    public static AwsException crossAccountDefaultKey() {
        return of(ErrorType.INVALID_REQUEST, "You can't access a secret from a different AWS account if you "
                + "encrypt the secret with the default KMS service key.");
    }

    // ---- KMS as Secrets Manager sees it --------------------------------------------------------

    public static AwsException invalidKmsKey(String kmsMessage) {
        return of(ErrorType.INVALID_PARAMETER, "The operation failed because of an invalid KMS key: " + kmsMessage);
    }

    public static AwsException cannotEncrypt(String kmsMessage) {
        return of(ErrorType.ENCRYPTION_FAILURE, cannotEncryptText(kmsMessage));
    }

    public static String cannotEncryptText(String kmsMessage) {
        return "Secrets Manager can't encrypt the secret value: " + kmsMessage;
    }

    public static AwsException cannotDecrypt(String kmsMessage) {
        return of(ErrorType.DECRYPTION_FAILURE, "Secrets Manager can't decrypt the secret value: " + kmsMessage);
    }

    // ---- KMS -----------------------------------------------------------------------------------

    public static AwsException kmsInvalidKeyId(String keyId) {
        return of(ErrorType.KMS_NOT_FOUND, "Invalid keyId '" + keyId + "'");
    }

    public static AwsException kmsKeyDoesNotExist(String keyArn) {
        return of(ErrorType.KMS_NOT_FOUND, "Key '" + keyArn + "' does not exist");
    }

    public static AwsException kmsInvalidArnRegion(String region) {
        return of(ErrorType.KMS_NOT_FOUND, "Invalid arn " + region);
    }

    public static AwsException kmsAliasNotFound(String aliasArn) {
        return of(ErrorType.KMS_NOT_FOUND, "Alias " + aliasArn + " is not found.");
    }

    public static AwsException kmsDisabled(String keyArn) {
        return of(ErrorType.KMS_DISABLED, keyArn + " is disabled.");
    }

    public static AwsException kmsPendingDeletion(String keyArn) {
        return of(ErrorType.KMS_INVALID_STATE, keyArn + " is pending deletion.");
    }

    public static AwsException kmsInvalidState(String keyArn, String state) {
        return of(ErrorType.KMS_INVALID_STATE, keyArn + " is " + state + ".");
    }

    public static AwsException kmsAliasExists(String aliasArn) {
        return of(ErrorType.KMS_ALREADY_EXISTS, "An alias with the name " + aliasArn + " already exists");
    }

    public static AwsException kmsInvalidCiphertext() {
        return of(ErrorType.KMS_INVALID_CIPHERTEXT, "The ciphertext is invalid.");
    }

    public static AwsException kmsIncorrectKey() {
        return of(ErrorType.KMS_INCORRECT_KEY,
                "The key ID in the request does not identify a CMK that can perform this operation.");
    }

    public static AwsException kmsNotMultiRegionPrimary(String keyArn) {
        return of(ErrorType.KMS_UNSUPPORTED_OPERATION, keyArn + " is not a multi-region primary key.");
    }

    public static AwsException kmsNotMultiRegion(String keyArn) {
        return of(ErrorType.KMS_UNSUPPORTED_OPERATION, keyArn + " is not a multi-region key.");
    }

    public static AwsException kmsReplicaExists(String keyArn, String region) {
        return of(ErrorType.KMS_ALREADY_EXISTS, "Replica key " + keyArn + " already exists in " + region + ".");
    }

    public static AwsException kmsAwsManagedKey(String keyArn) {
        return of(ErrorType.KMS_UNSUPPORTED_OPERATION, keyArn + " is an AWS managed key and cannot be modified.");
    }

    public static AwsException kmsNotPendingDeletion(String keyArn) {
        return of(ErrorType.KMS_INVALID_STATE, keyArn + " is not pending deletion.");
    }

    /** A required KMS request member is absent (the model validator normally catches it first). */
    public static AwsException kmsMissingParameter(String member) {
        return validation(List.of("Value null at '" + member + "' failed to satisfy constraint: Member must not be null"));
    }

    /** [E] LocalStack and local-kms both answer a name without the prefix this way. */
    public static AwsException kmsAliasPrefixRequired() {
        return of(ErrorType.VALIDATION, "Alias must start with the prefix \"alias/\". Please see "
                + "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
    }

    /** [U] message; the type follows the KMS docs (the alias/aws/ prefix is reserved). */
    public static AwsException kmsReservedAliasPrefix() {
        return of(ErrorType.KMS_INVALID_ALIAS_NAME,
                "Alias names cannot begin with alias/aws/; that prefix is reserved for AWS managed keys.");
    }

    /** [E] moto's text for a colon in an alias name (the model pattern allows it, KMS does not). */
    public static AwsException kmsAliasInvalidCharacters(String aliasName) {
        return of(ErrorType.VALIDATION, aliasName + " contains invalid characters for an alias");
    }

    /** [E] moto's text for CreateAlias whose TargetKeyId is itself an alias. */
    public static AwsException kmsAliasTargetIsAlias() {
        return of(ErrorType.VALIDATION, "Aliases must refer to keys. Not aliases");
    }

    /** [U] the AWS constraint-sentence form for the 7..30 day service rule. */
    public static AwsException kmsPendingWindowRange(int days) {
        return validation(List.of("Value '" + days + "' at 'pendingWindowInDays' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 7 and less than or equal to 30"));
    }

    /** [U] GenerateDataKey needs exactly one of KeySpec and NumberOfBytes. */
    public static AwsException kmsDataKeySizeRequired() {
        return of(ErrorType.VALIDATION, "Please specify either number of bytes or key spec.");
    }

    /** [U] a region name KMS cannot address (ReplicaRegion, PrimaryRegion). */
    public static AwsException kmsInvalidRegion(String member, String region) {
        return validation(List.of("Value '" + region + "' at '" + member + "' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$"));
    }

    /** Text from the model's InvalidMarkerException documentation. */
    public static AwsException kmsInvalidMarker() {
        return of(ErrorType.KMS_INVALID_MARKER,
                "The request was rejected because the marker that specifies where pagination should next begin is not valid.");
    }

    /** smlocal's own text: the emulated KMS only has symmetric AWS_KMS encryption keys. */
    public static AwsException kmsUnsupportedKeyConfiguration(String member, String value) {
        return of(ErrorType.KMS_UNSUPPORTED_OPERATION, member + " " + value + " is not supported by smlocal's "
                + "emulated KMS, which has only symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT, AWS_KMS).");
    }

    /**
     * smlocal's own text: the emulator runs a custom {@code Kms} that does not serve the KMS API
     * (docs/ARCHITECTURE.md, "The KMS port"); KMS's UnsupportedOperationException is the closest type.
     */
    public static AwsException kmsApiUnavailable(String operation) {
        return of(ErrorType.KMS_UNSUPPORTED_OPERATION, operation + " is not available: this smlocal runs a custom KMS "
                + "(a Kms passed to its builder) that does not serve the KMS API.");
    }
}

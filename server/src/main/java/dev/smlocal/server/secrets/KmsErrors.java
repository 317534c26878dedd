package dev.smlocal.server.secrets;

import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.aws.IdGenerator;

/**
 * The one place where KMS errors become Secrets Manager errors. Secrets Manager quotes the KMS
 * failure the way the AWS SDK for Java prints it inside its own message.
 */
public final class KmsErrors {
    private KmsErrors() {}

    /** A KmsKeyId given to CreateSecret/UpdateSecret that KMS cannot find. */
    static AwsException onKeyChoice(AwsException kmsError) {
        if (kmsError.type() == ErrorType.KMS_NOT_FOUND) return Errors.invalidKmsKey(kmsError.getMessage());
        return Errors.cannotEncrypt(quoted(kmsError, null));
    }

    static AwsException onEncrypt(AwsException kmsError, IdGenerator ids) {
        return Errors.cannotEncrypt(quoted(kmsError, ids));
    }

    static AwsException onDecrypt(AwsException kmsError, IdGenerator ids) {
        return Errors.cannotDecrypt(quoted(kmsError, ids));
    }

    /** The KMS message with the SDK's service suffix, e.g. {@code Key '…' does not exist (Service: AWSKMS; …)}. */
    public static String quoted(AwsException kmsError, IdGenerator ids) {
        String requestId = ids == null ? java.util.UUID.randomUUID().toString() : ids.uuid();
        return kmsError.getMessage() + " (Service: AWSKMS; Status Code: " + kmsError.type().httpStatus()
                + "; Error Code: " + kmsError.type().code() + "; Request ID: " + requestId + ")";
    }
}

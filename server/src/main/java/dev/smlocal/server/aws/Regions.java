package dev.smlocal.server.aws;

import java.util.List;
import java.util.regex.Pattern;

/** The region names smlocal knows. */
public final class Regions {
    private Regions() {}

    /** Every commercial region, the default set of enabled regions. */
    public static final List<String> COMMERCIAL = List.of(
            "us-east-1", "us-east-2", "us-west-1", "us-west-2",
            "af-south-1",
            "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
            "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
            "ap-southeast-6", "ap-southeast-7",
            "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
            "ca-central-1", "ca-west-1",
            "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
            "eu-south-1", "eu-south-2", "eu-north-1",
            "il-central-1", "mx-central-1",
            "me-south-1", "me-central-1",
            "sa-east-1");

    private static final Pattern WELL_FORMED = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d{1,2}");

    public static boolean isWellFormed(String region) {
        return region != null && WELL_FORMED.matcher(region).matches();
    }

    public static String partitionOf(String region) {
        if (region.startsWith("cn-")) return "aws-cn";
        if (region.startsWith("us-gov-")) return "aws-us-gov";
        return "aws";
    }
}

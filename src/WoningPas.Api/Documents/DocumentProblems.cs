namespace WoningPas.Api.Documents;

/// <summary>Stable problem types of the upload pipeline, next to those in Infrastructure/ProblemTypes.cs.</summary>
public static class DocumentProblemTypes
{
    private const string Base = "https://woningpas.vlaanderen.be/problems/";

    public const string TooLarge = Base + "upload-too-large";
    public const string UnsupportedType = Base + "upload-unsupported-type";
    public const string ActiveContent = Base + "upload-active-content";
    public const string NotInspectable = Base + "upload-not-inspectable";
    public const string Malware = Base + "upload-malware";
    public const string NotScanned = Base + "upload-not-scanned";
    public const string Undecryptable = Base + "document-undecryptable";
    public const string NotUploader = Base + "document-not-uploader";
}

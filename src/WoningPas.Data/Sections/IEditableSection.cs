namespace WoningPas.Data.Sections;

/// <summary>
/// A section row that agency staff edit in the back office: addressed by its id, guarded by its <c>xmin</c>
/// <see cref="Version"/>, and stamped when it changes. The one editing pipeline works on any of them.
/// </summary>
public interface IEditableSection
{
    Guid Id { get; }

    uint Version { get; }

    DateTimeOffset SourceUpdatedAt { get; set; }
}

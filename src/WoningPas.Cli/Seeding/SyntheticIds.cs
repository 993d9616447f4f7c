namespace WoningPas.Cli.Seeding;

/// <summary>
/// Ids of synthetic rows: a fixed prefix per kind ("5eed000k-…") and the index in the low bytes. Sequential ids keep
/// primary-key inserts at the end of the index, and the prefix lets a re-run find and remove the synthetic rows
/// without touching real or demo data.
/// </summary>
internal static class SyntheticIds
{
    public const int Person = 1;
    public const int Address = 2;
    public const int Parcel = 3;
    public const int Building = 4;
    public const int Dwelling = 5;
    public const int Right = 6;
    public const int Section = 7;

    public static Guid For(int kind, long index) =>
        new(0x5EED0000 | kind, 0, 0,
            (byte)(index >> 56), (byte)(index >> 48), (byte)(index >> 40), (byte)(index >> 32),
            (byte)(index >> 24), (byte)(index >> 16), (byte)(index >> 8), (byte)index);

    public static Guid First(int kind) => For(kind, 0);

    public static Guid AfterLast(int kind) => new(0x5EED0000 | (kind + 1), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

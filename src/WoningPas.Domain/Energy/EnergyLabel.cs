namespace WoningPas.Domain;

/// <summary>The residential EPC label, declared from best to worst.</summary>
public enum EnergyLabel
{
    APlus,
    A,
    B,
    C,
    D,
    E,
    F,
}

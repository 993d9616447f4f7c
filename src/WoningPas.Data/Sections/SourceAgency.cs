namespace WoningPas.Data.Sections;

/// <summary>The agency that owns a passport section: only its editors may change it.</summary>
public enum SourceAgency
{
    /// <summary>Vlaams Energie- en Klimaatagentschap: EPC, installations.</summary>
    EnergyAgency,

    /// <summary>OVAM: asbestos inventory and soil certificates.</summary>
    WasteAgency,

    /// <summary>Departement Omgeving: flood scores.</summary>
    EnvironmentDepartment,

    /// <summary>Wonen in Vlaanderen: conformity certificates.</summary>
    HousingAgency,

    /// <summary>The municipality: building and environment permits.</summary>
    Municipality,

    /// <summary>The federal cadastre (FOD Financiën): parcels and real rights.</summary>
    Cadastre,

    /// <summary>A holder of the dwelling: their own documents and installations.</summary>
    Owner,
}

namespace WoningPas.Domain;

public enum RenovationStatus
{
    NotApplicable,
    Met,
    Pending,
    Overdue,
}

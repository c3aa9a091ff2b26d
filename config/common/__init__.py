"""What every app may use and that knows no app: domain errors the API maps to statuses, the
clock every process reads, the plausible range of dates, the partial update of a model, the
office's right. Apps import it; it imports none of them (.importlinter)."""

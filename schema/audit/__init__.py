"""The audit domain: the trail of reads of children's personal data, break-the-glass."""

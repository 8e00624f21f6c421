"""The two announcements `complaints` makes. `dispatch` connects to them in its
AppConfig.ready; `complaints` never imports `dispatch`.

complaint_submitted(sender=Complaint, complaint_id=int)
    Sent after the submitting transaction commits. Receivers must not assume the
    message is the only chance: a complaint left `submitted` is swept up again.

complaint_reopened(sender=Complaint, complaint=Complaint, actor_label=str)
    Sent inside the reopening transaction, with the complaint row locked, so a
    receiver can hand the order back to its unit atomically with the reopen.
"""

from django.dispatch import Signal

complaint_submitted = Signal()
complaint_reopened = Signal()

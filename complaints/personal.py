"""The resident's own name, number and address masked inside free text. Staff type
notes and replies ("已致电 13800138000"); whoever may not see the resident's details
must not read them there either. Only the complaint's own values are masked: the
text is otherwise left exactly as typed."""

import re

from complaints.models.complaint import Complaint, mask_name, mask_phone

MIN_NAME_LENGTH = 2  # a one-character name would mask that character wherever it appears


def personal_data_masked_in(text: str, *, complaint: Complaint) -> str:
    if not text:
        return text
    phone = complaint.resident_phone
    if phone:
        # Typed with spaces or dashes in between ("138 0013 8000") it is still the number.
        digits = r"[\s-]*".join(re.escape(ch) for ch in phone)
        text = re.sub(rf"(?<!\d){digits}(?!\d)", mask_phone(phone), text)
    email = complaint.resident_email
    if email:
        text = re.sub(re.escape(email), "***@***", text, flags=re.IGNORECASE)
    name = complaint.resident_name.strip()
    if len(name) >= MIN_NAME_LENGTH:
        text = text.replace(name, mask_name(name))
    return text

"""Date and time formats per language, one for dates and one for date-times that agree.

Django's own modules are the base. They disagree with themselves in two places that people
read as machine text or as a trap: Vietnamese writes a date as "Ngày 07 tháng 12 năm 2026"
with a capital N in the middle of a sentence, and Arabic, which has no date-time format of its
own, falls back to the American month/day while its dates are day/month.
"""

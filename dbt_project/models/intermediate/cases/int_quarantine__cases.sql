select
    'ticket' as object,
    cast(ticket_id as string) as stames_id,
    quarantine_reason as reason,
    quarantine_detail as detail
from {{ ref('int_cases_classified') }}
where quarantine_reason is not null

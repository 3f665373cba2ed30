select
    'ticket' as object,
    cast(ticket_id as string) as stames_id,
    exclusion_rule as rule
from {{ ref('int_cases_classified') }}
where exclusion_rule is not null

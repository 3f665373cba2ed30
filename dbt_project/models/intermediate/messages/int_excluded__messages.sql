{#- Messages left out on purpose: a skipped route (system notes) or a ticket that is excluded. -#}
select
    'message' as object,
    message_id::string as stames_id,
    exclusion_rule as rule
from {{ ref('int_messages_routed') }}
where disposition = 'excluded'

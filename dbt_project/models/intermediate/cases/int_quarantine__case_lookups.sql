{# Lookup values dropped from Cases that load (object `ticket.custom.<key>`: the Case itself is
   synced, so these rows are not counted against tickets). #}
select
    'ticket.custom.' || key as object,
    cast(ticket_id as string) as stames_id,
    drop_reason as reason,
    case
        when lookup_target = 'agent' then
            'agent ' || value || ' has no active Salesforce user: the Case loads without this lookup; '
            || 'match the agent to a user in the mapping to keep it'
        else
            coalesce(lookup_target, 'record') || ' ' || value
            || ' is not synced (missing, excluded or quarantined): the Case loads without this lookup'
    end as detail
from {{ ref('int_cases_custom_lookups') }}
where drop_reason is not null

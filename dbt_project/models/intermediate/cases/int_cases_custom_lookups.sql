{# The lookup custom fields of synced Cases, resolved to what Salesforce can take: an agent to the
   active User the mapping matched (an Id the loader sends as it is), a custom-object record or a
   ticket to its Stames id when that record is synced (the loader resolves it through the parent's
   external id). A value that resolves to nothing is dropped, with `drop_reason`; the Case loads
   without it and int_quarantine__case_lookups lists it. #}
with lookup_fields as (
    select key, lookup__target as lookup_target, lookup__object_key as object_key
    from {{ ref('stg_stames__custom_fields') }}
    where object_type = 'ticket' and field_type = 'lookup'
),

lookup_values as (
    select custom_values.ticket_id, custom_values.key, custom_values.value, lookup_fields.lookup_target, lookup_fields.object_key
    from {{ ref('int_cases_custom_values') }} as custom_values
    inner join lookup_fields on lookup_fields.key = custom_values.key
    inner join {{ ref('int_cases_synced') }} as cases on cases.id = custom_values.ticket_id
),

synced_records as (
    select record_id, object_key
    from {{ ref('int_custom_object_records_mapped') }}
    where disposition <> 'quarantined'
),

resolved as (
    select
        lookup_values.*,
        case lookup_values.lookup_target
            when 'agent' then agents.user_id
            when 'custom_object' then synced_records.record_id
            when 'ticket' then cast(linked_cases.id as string)
            else lookup_values.value
        end as resolved_value
    from lookup_values
    left join {{ ref('int_agents_users') }} as agents
        on lookup_values.lookup_target = 'agent' and agents.agent_id = try_cast(lookup_values.value as bigint)
    left join synced_records
        on lookup_values.lookup_target = 'custom_object'
        and synced_records.record_id = lookup_values.value
        and synced_records.object_key = lookup_values.object_key
    left join {{ ref('int_cases_synced') }} as linked_cases
        on lookup_values.lookup_target = 'ticket' and linked_cases.id = try_cast(lookup_values.value as bigint)
)

select
    ticket_id,
    key,
    value,
    lookup_target,
    resolved_value,
    case
        when resolved_value is not null then null
        when lookup_target = 'agent' then 'agent without an active user'
        else 'dangling lookup dropped'
    end as drop_reason
from resolved

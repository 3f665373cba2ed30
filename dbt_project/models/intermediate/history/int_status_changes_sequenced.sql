{#- Each ticket's status changes in order (time, then id: changes can share a timestamp), with
    a flag where the history has a gap: the change does not start from the status the previous
    one ended in (a change missing in Stames, or the first change not being the creation). -#}
with

changes as (

    select * from {{ ref('stg_stames__status_changes') }}

),

tickets as (

    select id as ticket_id from {{ ref('stg_stames__tickets') }}

),

excluded_cases as (

    select stames_id, rule from {{ ref('int_excluded__cases') }}

),

quarantined_cases as (

    select stames_id, reason from {{ ref('int_quarantine__cases') }}

),

timed as (

    select
        *,
        {{ stames_timestamp_in_zone('changed_at_text', mapping_setting('source_timezone')) }} as changed_at
    from changes

),

sequenced as (

    select
        *,
        {#- bigint on both engines (Spark's row_number is an int) -#}
        cast(row_number() over (
            partition by ticket_id order by changed_at nulls last, status_change_id
        ) as bigint) as history_position
    from timed

),

with_previous as (

    select
        *,
        lag(to_status) over (partition by ticket_id order by history_position) as previous_to_status
    from sequenced

),

{#- A value map on a status field in the mapping (fields.value_map) is applied; none keeps the key. -#}
status_maps as (

    select fields.source, value_maps.source_value, value_maps.target_value
    from {{ source('mapping', 'fields') }} as fields
    join {{ source('mapping', 'value_maps') }} as value_maps on value_maps.value_map = fields.value_map
    where fields.source in ('status_change.from_status', 'status_change.to_status')
        and not value_maps.is_default

)

select
    with_previous.*,
    case when from_map.source is null then with_previous.from_status else from_map.target_value end as from_status_mapped,
    case when to_map.source is null then with_previous.to_status else to_map.target_value end as to_status_mapped,
    case
        when history_position = 1 then from_status is not null
        else from_status is distinct from previous_to_status
    end as has_gap_before,
    case
        when excluded_cases.rule is not null then 'excluded'
        when tickets.ticket_id is null then 'quarantined'
        when quarantined_cases.stames_id is not null then 'quarantined'
        when with_previous.changed_at is null then 'quarantined'
        else 'Stames_Status_Change__c'
    end as disposition,
    excluded_cases.rule as exclusion_rule,
    case
        when excluded_cases.rule is not null then null
        when tickets.ticket_id is null then 'orphan status change'
        when quarantined_cases.stames_id is not null then 'Case quarantined'
        when with_previous.changed_at is null then 'unreadable date'
    end as quarantine_reason,
    case
        when excluded_cases.rule is not null then null
        when tickets.ticket_id is null then
            'ticket ' || with_previous.ticket_id || ' is not in the extracted tickets: re-run extract, or accept losing the change'
        when quarantined_cases.stames_id is not null then
            'ticket ' || with_previous.ticket_id || ' is quarantined (' || quarantined_cases.reason
            || '): the change follows its Case once the Case is fixed'
        when with_previous.changed_at is null then
            'changed_at ' || coalesce('"' || changed_at_text || '"', 'is missing') || ' is not a date: fix it in Stames and re-extract'
    end as quarantine_detail
from with_previous
left join tickets on tickets.ticket_id = with_previous.ticket_id
left join excluded_cases on excluded_cases.stames_id = with_previous.ticket_id::string
left join quarantined_cases on quarantined_cases.stames_id = with_previous.ticket_id::string
left join status_maps as from_map
    on from_map.source = 'status_change.from_status' and from_map.source_value = with_previous.from_status
left join status_maps as to_map
    on to_map.source = 'status_change.to_status' and to_map.source_value = with_previous.to_status

{#- Every custom-object record with its Salesforce object (mapping.custom_objects), its field
    values under their target API names (mapping.fields `custom_object.<key>.<field>`, value
    maps applied), and its links: the first listed ticket that is a migrated Case becomes
    `case_ticket_id`; a first ticket that is not one is a dropped link (`dropped_ticket_id`). -#}
{%- set decimal_comma %}^-?\d+,\d+${% endset %}
with

records as (

    select * from {{ ref('stg_stames__custom_object_records') }}

),

record_tickets as (

    select * from {{ ref('stg_stames__custom_object_record_tickets') }}

),

objects as (

    select source_key, api_name from {{ source('mapping', 'custom_objects') }}

),

fields as (

    select source, source_type, target_field, value_map
    from {{ source('mapping', 'fields') }}
    where source_object = 'custom_object' and target is not null

),

value_maps as (

    select value_map, source_value, target_value
    from {{ source('mapping', 'value_maps') }}
    where not is_default

),

{#- Only a Case that is synced can be linked: a ticket missing, excluded or quarantined is not. -#}
synced_cases as (

    select id as ticket_id from {{ ref('int_cases_synced') }}

),

{#- The record's customer as the Contact it becomes: merges and duplicates followed to the
    survivor, none when that Contact is not synced. -#}
record_contacts as (

    select survivors.customer_id, contacts.customer_id as contact_customer_id
    from {{ ref('int_customers_deduplicated') }} as survivors
    join {{ ref('int_customers_contacts') }} as contacts on contacts.customer_id = survivors.survivor_id

),

{#- The record's name and every key of its `fields` object, as (key, text value) pairs. -#}
values_found as (

    select record_id, object_key, 'name' as field_key, record_name as field_value
    from records

    union all

    {{ json_text_entries(['record_id', 'object_key'], 'field_values', 'records', 'field_key', 'field_value') }}

),

values_mapped as (

    select
        values_found.record_id,
        values_found.object_key,
        fields.target_field,
        case
            when fields.value_map is not null then value_maps.target_value
            {# a decimal written with a decimal comma (`19,99`) is sent as Salesforce reads numbers #}
            when fields.source_type in ('decimal', 'number') and {{ matches('values_found.field_value', literal(decimal_comma)) }}
                then replace(values_found.field_value, ',', '.')
            else values_found.field_value
        end as target_value
    from values_found
    join fields on fields.source = 'custom_object.' || values_found.object_key || '.' || values_found.field_key
    left join value_maps
        on value_maps.value_map = fields.value_map and value_maps.source_value = values_found.field_value
    where fields.target_field <> 'Stames_Id__c'

),

field_objects as (

    select record_id, object_key, {{ json_object_agg('target_field', 'target_value') }} as field_values
    from values_mapped
    group by record_id, object_key

),

links as (

    select
        record_tickets.raw_row_id,
        record_tickets.ticket_id,
        record_tickets.link_position,
        synced_cases.ticket_id is not null as is_migrated_case
    from record_tickets
    left join synced_cases on synced_cases.ticket_id = record_tickets.ticket_id

),

link_summary as (

    select
        raw_row_id,
        min(ticket_id) filter (where link_position = 0) as first_ticket_id,
        bool_or(is_migrated_case) filter (where link_position = 0) as first_is_migrated,
        {{ ordered_string_agg('case when link_position > 0 then cast(ticket_id as string) end', "','", 'link_position') }} as other_ticket_ids
    from links
    group by raw_row_id

)

select
    records.record_id,
    records.object_key,
    objects.api_name as sobject,
    records.customer_id,
    record_contacts.contact_customer_id,
    coalesce(field_objects.field_values, '{}'::string) as field_values,
    case when link_summary.first_is_migrated then link_summary.first_ticket_id end as case_ticket_id,
    case when not link_summary.first_is_migrated then link_summary.first_ticket_id end as dropped_ticket_id,
    link_summary.other_ticket_ids,
    case when objects.api_name is null then 'quarantined' else objects.api_name end as disposition
from records
left join objects on objects.source_key = records.object_key
left join field_objects
    on field_objects.record_id = records.record_id and field_objects.object_key = records.object_key
left join link_summary on link_summary.raw_row_id = records.raw_row_id
left join record_contacts on record_contacts.customer_id = records.customer_id

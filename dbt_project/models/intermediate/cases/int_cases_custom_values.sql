{# Ticket custom field values in long form (one row per ticket and key), with the mapping's value
   map applied element by element: a multi-select value is its elements joined with `;`
   (Salesforce's multi-picklist separator), each mapped on its own; a single value is one element.
   `unmapped_values` lists the elements the field's value map neither lists nor defaults (the
   ticket is quarantined for them); an entry whose target is empty drops its element. #}
with custom_fields as (
    select * from {{ ref('stg_stames__ticket_custom_fields') }}
),

tickets as (
    select id as ticket_id, dlt_id from {{ ref('stg_stames__tickets') }}
),

elements as (
    select custom_fields.ticket_dlt_id, custom_fields.key, 0 as position, custom_fields.value as element
    from custom_fields
    where custom_fields.value is not null

    union all

    select custom_fields.ticket_dlt_id, custom_fields.key, list_values.position, list_values.value as element
    from {{ ref('stg_stames__ticket_custom_field_values') }} as list_values
    inner join custom_fields on custom_fields.dlt_id = list_values.custom_field_dlt_id
    where list_values.value is not null
),

field_value_maps as (
    select split_part(source, '.', 3) as key, min(value_map) as value_map
    from {{ ref('stg_mapping__fields') }}
    where source like 'ticket.custom.%' and target_object = 'Case' and value_map is not null
    group by key
),

map_entries as (
    select value_map, source_value, target_value
    from {{ ref('stg_mapping__value_maps') }}
    where not is_default and source_value is not null
),

map_defaults as (
    select value_map, min(target_value) as default_value
    from {{ ref('stg_mapping__value_maps') }}
    where is_default
    group by value_map
),

mapped as (
    select
        tickets.ticket_id,
        elements.key,
        elements.position,
        elements.element,
        field_value_maps.value_map,
        case
            when field_value_maps.value_map is null then elements.element
            when map_entries.source_value is not null then map_entries.target_value
            else map_defaults.default_value
        end as mapped_element,
        field_value_maps.value_map is not null
            and map_entries.source_value is null
            and map_defaults.value_map is null as is_unmapped
    from elements
    inner join tickets on tickets.dlt_id = elements.ticket_dlt_id
    left join field_value_maps on field_value_maps.key = elements.key
    left join map_entries
        on map_entries.value_map = field_value_maps.value_map and map_entries.source_value = elements.element
    left join map_defaults on map_defaults.value_map = field_value_maps.value_map
)

select
    ticket_id,
    key,
    min(value_map) as value_map,
    {{ ordered_string_agg('element', "';'", 'position') }} as value,
    {{ ordered_string_agg('mapped_element', "';'", 'position') }} as mapped_value,
    {{ ordered_string_agg('element', "';'", 'position') }} filter (where is_unmapped) as unmapped_values
from mapped
group by ticket_id, key

{# Ticket custom field values in long form (one row per ticket and key); a multi-select value
   is its elements joined with `;` (Salesforce's multi-picklist separator). #}
with custom_fields as (
    select * from {{ ref('stg_stames__ticket_custom_fields') }}
),

elements as (
    select custom_field_dlt_id, string_agg(value, ';' order by position) as joined
    from {{ ref('stg_stames__ticket_custom_field_values') }}
    group by custom_field_dlt_id
)

select
    tickets.id as ticket_id,
    custom_fields.key,
    coalesce(custom_fields.value, elements.joined) as value
from custom_fields
inner join {{ ref('stg_stames__tickets') }} as tickets on tickets.dlt_id = custom_fields.ticket_dlt_id
left join elements on elements.custom_field_dlt_id = custom_fields.dlt_id

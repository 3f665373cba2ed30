{# Customer custom field values in long form: the Contact they follow, key, value. A merged-away
   customer's value fills its survivor's gap (survivor's own value first, then most recent). #}
with customers as (
    select id, dlt_id, updated_at from {{ ref('stg_stames__customers') }}
),

resolved as (
    select * from {{ ref('int_customers_deduplicated') }}
),

values_by_customer as (
    select
        resolved.survivor_id,
        resolved.customer_id = resolved.survivor_id as is_survivor,
        customers.updated_at,
        custom_fields.key,
        custom_fields.value
    from {{ ref('stg_stames__customer_custom_fields') }} as custom_fields
    inner join customers on customers.dlt_id = custom_fields.customer_dlt_id
    inner join resolved on resolved.customer_id = customers.id
    where resolved.survivor_id is not null and custom_fields.value is not null
)

select
    survivor_id as customer_id,
    key,
    max_by(value, {{ row_key(['is_survivor', 'updated_at']) }}) as value
from values_by_customer
group by survivor_id, key

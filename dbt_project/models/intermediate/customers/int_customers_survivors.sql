{# One row per surviving customer: its own values, with an empty name, email, phone or company
   filled from the customers merged into it (most recently updated first). #}
with customers as (
    select * from {{ ref('stg_stames__customers') }}
),

resolved as (
    select * from {{ ref('int_customers_deduplicated') }}
),

members as (
    select
        resolved.survivor_id,
        resolved.customer_id = resolved.survivor_id as is_survivor,
        customers.*
    from resolved
    inner join customers on customers.id = resolved.customer_id
    where resolved.survivor_id is not null
)

select
    survivor_id as customer_id,
    coalesce(
        max(nullif({{ nfc('trim(name)') }}, '')) filter (where is_survivor),
        max_by(nullif({{ nfc('trim(name)') }}, ''), updated_at) filter (where nullif({{ nfc('trim(name)') }}, '') is not null)
    ) as name,
    coalesce(
        max({{ normalised_email('email') }}) filter (where is_survivor),
        max_by({{ normalised_email('email') }}, updated_at) filter (where {{ normalised_email('email') }} is not null)
    ) as email,
    coalesce(
        max(phone) filter (where is_survivor),
        max_by(phone, updated_at) filter (where phone is not null)
    ) as phone,
    coalesce(
        max(nullif({{ nfc('trim(company)') }}, '')) filter (where is_survivor),
        max_by(nullif({{ nfc('trim(company)') }}, ''), updated_at) filter (where nullif({{ nfc('trim(company)') }}, '') is not null)
    ) as company,
    max(created_at) filter (where is_survivor) as created_at,
    max(updated_at) as updated_at,
    max(dlt_id) filter (where is_survivor) as dlt_id,
    count(*) as merged_customers
from members
group by survivor_id

{# Duplicate customers (API.md §3.2): customers that survive Stames merges and share an email once
   it is trimmed, NFKC-folded and lower-cased are one person.
   Survivorship rule: the oldest customer of a group (created_at, then lowest id) survives; the
   others are merged into it. Customers without an email are never merged by this rule. #}
with customers as (
    select * from {{ ref('stg_stames__customers') }}
),

merges as (
    select * from {{ ref('int_customers_merges_followed') }}
),

merge_survivors as (
    select
        customers.id,
        customers.created_at,
        {{ normalised_email('customers.email') }} as email_key
    from customers
    inner join merges on merges.customer_id = customers.id and merges.merge_survivor_id = customers.id
),

ranked as (
    select
        id,
        email_key,
        first_value(id) over (
            partition by coalesce(email_key, 'customer:' || id)
            order by created_at nulls last, id
        ) as duplicate_survivor_id
    from merge_survivors
)

select
    merges.customer_id,
    merges.is_merge_cycle,
    merges.merge_hops,
    survivors.duplicate_survivor_id as survivor_id,
    case
        when merges.is_merge_cycle then 'merge_cycle'
        when merges.merge_survivor_id <> merges.customer_id then 'merged'
        when survivors.duplicate_survivor_id <> merges.customer_id then 'duplicate'
        else 'survivor'
    end as resolution
from merges
left join ranked as survivors on survivors.id = merges.merge_survivor_id

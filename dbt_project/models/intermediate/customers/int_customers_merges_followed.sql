{# Every customer and the customer it ends up as after Stames merges (API.md §3.3): the
   `merged_into_id` chain is followed hop by hop (A→B→C). A chain that comes back to a customer it
   already passed is a cycle: no survivor, the customers on it are quarantined. A chain whose next
   customer is missing from the extraction stops at the last customer that exists. #}
{#- The customers passed are kept as text `/1/2/3/` (both engines read it; their list types differ). -#}
with recursive customers as (
    select id, merged_into_id from {{ ref('stg_stames__customers') }}
),

chain as (
    select id as start_id, id as current_id, 0 as hops, '/' || cast(id as string) || '/' as path
    from customers
    union all
    select
        chain.start_id,
        next_customer.id,
        chain.hops + 1,
        chain.path || cast(next_customer.id as string) || '/'
    from chain
    inner join customers as current_customer on current_customer.id = chain.current_id
    inner join customers as next_customer on next_customer.id = current_customer.merged_into_id
    where not contains(chain.path, '/' || cast(next_customer.id as string) || '/')
),

chain_ends as (
    select start_id, max_by(current_id, hops) as end_id, max(hops) as hops, max_by(path, hops) as path
    from chain
    group by start_id
),

ends_checked as (
    select
        chain_ends.*,
        coalesce(contains(chain_ends.path, '/' || cast(end_customer.merged_into_id as string) || '/'), false)
            as is_cycle
    from chain_ends
    inner join customers as end_customer on end_customer.id = chain_ends.end_id
)

select
    start_id as customer_id,
    hops as merge_hops,
    is_cycle as is_merge_cycle,
    case when not is_cycle then end_id end as merge_survivor_id
from ends_checked

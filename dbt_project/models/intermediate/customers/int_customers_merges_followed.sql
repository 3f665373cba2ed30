{# Every customer and the customer it ends up as after Stames merges (API.md §3.3): the
   `merged_into_id` chain is followed hop by hop (A→B→C). A chain that comes back to a customer it
   already passed is a cycle: no survivor, the customers on it are quarantined. A chain whose next
   customer is missing from the extraction stops at the last customer that exists. #}
with recursive customers as (
    select id, merged_into_id from {{ ref('stg_stames__customers') }}
),

chain (start_id, current_id, hops, path) as (
    select id, id, 0, [id] from customers
    union all
    select chain.start_id, next_customer.id, chain.hops + 1, list_append(chain.path, next_customer.id)
    from chain
    inner join customers as current_customer on current_customer.id = chain.current_id
    inner join customers as next_customer on next_customer.id = current_customer.merged_into_id
    where not list_contains(chain.path, next_customer.id)
),

chain_ends as (
    select start_id, arg_max(current_id, hops) as end_id, max(hops) as hops, arg_max(path, hops) as path
    from chain
    group by start_id
)

select
    chain_ends.start_id as customer_id,
    chain_ends.hops as merge_hops,
    is_cycle as is_merge_cycle,
    case when not is_cycle then chain_ends.end_id end as merge_survivor_id
from chain_ends
inner join customers as end_customer on end_customer.id = chain_ends.end_id,
lateral (
    select coalesce(list_contains(chain_ends.path, end_customer.merged_into_id), false) as is_cycle
)

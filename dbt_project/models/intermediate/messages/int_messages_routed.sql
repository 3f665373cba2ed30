{#- Every message with its place in the thread and where the mapping's routes send it:
    `disposition` is the target object (EmailMessage, Task, CaseComment), `excluded` or
    `quarantined`, with the rule or the reason. -#}
with

messages as (

    select * from {{ ref('stg_stames__messages') }}

),

routes as (

    select * from {{ source('mapping', 'message_routes') }}

),

tickets as (

    select ticket_id, customer_id from {{ ref('stg_stames__tickets') }}

),

excluded_cases as (

    select stames_id, rule from {{ ref('int_excluded__cases') }}

),

{#- A message tombstone (deleted, GDPR erasure) removes the message: the mapping's `deleted` rule. -#}
deleted_messages as (

    select distinct record_id
    from {{ ref('stg_stames__deleted_records') }}
    where object = 'message' and reason in ('deleted', 'gdpr_erasure')

),

timed as (

    select
        *,
        {{ stames_timestamp('created_at_text', mapping_setting('source_timezone')) }} as message_at
    from messages

),

{#- Source order: time, then id, because bursts share one timestamp (and back-dated imports make
    ids alone unreliable); the position is stored so nothing downstream relies on load order. -#}
ordered as (

    select
        *,
        row_number() over (
            partition by ticket_id order by message_at nulls last, message_id
        ) as thread_position
    from timed

),

routed as (

    select
        ordered.*,
        tickets.customer_id,
        {#- Routes say which messages are internal notes; the internal_notes strategy says where they go. -#}
        case
            when routes.target in ('Task', 'CaseComment') then {{ mapping_setting('internal_notes') }}
            else routes.target
        end as route_target,
        routes.incoming,
        routes.status as email_status,
        case
            when excluded_cases.rule is not null then excluded_cases.rule
            when deleted_messages.record_id is not null then 'deleted'
        end as exclusion_rule_found,
        tickets.ticket_id is not null as has_ticket
    from ordered
    left join routes
        on routes.author_type = ordered.author_type
        and routes.direction = ordered.direction
    left join tickets on tickets.ticket_id = ordered.ticket_id
    left join excluded_cases on excluded_cases.stames_id = ordered.ticket_id::varchar
    left join deleted_messages on deleted_messages.record_id = ordered.message_id::varchar

),

decided as (

    select
        *,
        case
            when exclusion_rule_found is not null then 'excluded'
            when route_target = 'skip' then 'excluded'
            when not has_ticket then 'quarantined'
            when route_target is null then 'quarantined'
            when message_at is null then 'quarantined'
            else route_target
        end as disposition,
        case
            when exclusion_rule_found is not null then exclusion_rule_found
            when route_target = 'skip' then 'message_route_skip'
        end as exclusion_rule,
        case
            when exclusion_rule_found is not null or route_target = 'skip' then null
            when not has_ticket then 'orphan message'
            when route_target is null then 'no message route'
            when message_at is null then 'unreadable date'
        end as quarantine_reason,
        case
            when exclusion_rule_found is not null or route_target = 'skip' then null
            when not has_ticket then
                'ticket ' || ticket_id || ' is not in the extracted tickets: re-run extract, or accept losing the message'
            when route_target is null then
                'no route for author type ' || coalesce(author_type, 'none') || ' and direction '
                || coalesce(direction, 'none') || ': add one to message_routes in the mapping and confirm it'
            when message_at is null then
                'created_at ' || coalesce('"' || created_at_text || '"', 'is missing')
                || ' is not a date: fix it in Stames and re-extract'
        end as quarantine_detail
    from routed

)

select * from decided

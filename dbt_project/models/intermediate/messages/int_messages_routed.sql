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

{#- A message the routes skip is excluded under the mapping's exclusion rule for messages. -#}
route_skip_rule as (

    select min(name) as rule
    from {{ source('mapping', 'exclusions') }}
    where source = 'message' and enabled

),

tickets as (

    select id as ticket_id, customer_id from {{ ref('stg_stames__tickets') }}

),

excluded_cases as (

    select stames_id, rule from {{ ref('int_excluded__cases') }}

),

quarantined_cases as (

    select stames_id, reason from {{ ref('int_quarantine__cases') }}

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
        {{ stames_timestamp_in_zone('created_at_text', mapping_setting('source_timezone')) }} as message_at
    from messages

),

{#- Source order: time, then id, because bursts share one timestamp (and back-dated imports make
    ids alone unreliable); the position is stored so nothing downstream relies on load order. -#}
ordered as (

    select
        *,
        {#- bigint: Spark's row_number is an int, DuckDB's a bigint -#}
        cast(row_number() over (
            partition by ticket_id order by message_at nulls last, message_id
        ) as bigint) as thread_position
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
        tickets.ticket_id is not null as has_ticket,
        quarantined_cases.reason as case_quarantine_reason
    from ordered
    left join routes
        on routes.author_type = ordered.author_type
        and routes.direction = ordered.direction
    left join tickets on tickets.ticket_id = ordered.ticket_id
    left join excluded_cases on excluded_cases.stames_id = ordered.ticket_id::string
    left join quarantined_cases on quarantined_cases.stames_id = ordered.ticket_id::string
    left join deleted_messages on deleted_messages.record_id = ordered.message_id::string

),

{#- Salesforce rejects an EmailMessage whose Status is not one of its codes (0 New, 1 Read,
    2 Replied, 3 Sent, 4 Forwarded, 5 Draft) or whose date is outside 1700-4000 (contract §4.1). -#}
checked as (

    select
        *,
        case
            when exclusion_rule_found is not null then exclusion_rule_found
            when route_target = 'skip'
                then coalesce((select rule from route_skip_rule), 'message_route_skip')
        end as exclusion_rule,
        case
            when not has_ticket then 'orphan message'
            when case_quarantine_reason is not null then 'Case quarantined'
            when route_target is null then 'no message route'
            when message_at is null then 'unreadable date'
            when year(message_at) not between 1700 and 4000 then 'date out of range'
            when route_target = 'EmailMessage' and email_status not in ('0', '1', '2', '3', '4', '5')
                then 'email Salesforce would reject'
            when body_truncated then 'body incomplete'
        end as quarantine_reason,
        case
            when not has_ticket then
                'ticket ' || ticket_id || ' is not in the extracted tickets: re-run extract, or accept losing the message'
            when case_quarantine_reason is not null then
                'ticket ' || ticket_id || ' is quarantined (' || case_quarantine_reason
                || '): the message follows its Case once the Case is fixed'
            when route_target is null then
                'no route for author type ' || coalesce(author_type, 'none') || ' and direction '
                || coalesce(direction, 'none') || ': add one to message_routes in the mapping and confirm it'
            when message_at is null then
                'created_at ' || coalesce('"' || created_at_text || '"', 'is missing')
                || ' is not a date: fix it in Stames and re-extract'
            when year(message_at) not between 1700 and 4000 then
                'created_at "' || created_at_text || '" is outside the years Salesforce stores (1700-4000): fix it in Stames and re-extract'
            when route_target = 'EmailMessage' and email_status not in ('0', '1', '2', '3', '4', '5') then
                'the route for ' || author_type || '/' || direction || ' gives Status "' || coalesce(email_status, '')
                || '", not an EmailMessage Status code (0 to 5): fix message_routes in the mapping and confirm it'
            {#- extract replaces a body the list view cut with the full one; a flag still set means
                that fetch found the message gone, and only the first 64 KiB are here -#}
            when body_truncated then
                'only the first 64 KiB of the body were extracted (the full message was gone when fetched): '
                || 're-run extract; if Stames deleted the message, its tombstone will exclude it'
        end as quarantine_detail_found
    from routed

),

decided as (

    select
        {{ star_except(['quarantine_reason', 'quarantine_detail_found']) }},
        case
            when exclusion_rule is not null then 'excluded'
            when quarantine_reason is not null then 'quarantined'
            else route_target
        end as disposition,
        case when exclusion_rule is null then quarantine_reason end as quarantine_reason,
        case when exclusion_rule is null then quarantine_detail_found end as quarantine_detail
    from checked

)

select * from decided

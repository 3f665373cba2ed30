with source as (select * from {{ source('raw_stames', 'ticket_statuses') }}),

renamed as (
    select
        -- strings
        key as status,
        label,
        category,
        -- numerics
        position,
        -- booleans
        coalesce(system, false) as is_system,
        coalesce(active, false) as is_active
    from source
)

select * from renamed
